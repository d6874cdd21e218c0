#include "imap_client.h"

#include <fmt/format.h>

#include "worker.h"

namespace roost::bench {
namespace {

constexpr std::string_view kStartTlsTag = "S0";

}  // namespace

bool IsTagged(std::string_view line, std::string_view tag, std::string_view* status) {
  if (line.size() <= tag.size() || line.substr(0, tag.size()) != tag || line[tag.size()] != ' ') {
    return false;
  }
  std::string_view rest = line.substr(tag.size() + 1);
  *status = rest.substr(0, rest.find(' '));
  return true;
}

std::chrono::nanoseconds ImapClient::timeout() const {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
      std::chrono::duration<double>(options().timeout_s));
}

std::string ImapClient::SendCommand(std::string_view command) {
  std::string tag = fmt::format("a{}", next_tag_++);
  sent_at_ = std::chrono::steady_clock::now();
  SetDeadline(timeout());
  Send(fmt::format("{} {}\r\n", tag, command));
  return tag;
}

uint64_t ImapClient::ElapsedSinceSend() const {
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                   std::chrono::steady_clock::now() - sent_at_)
                                   .count());
}

void ImapClient::OnConnected() {
  if (options().tls == TlsMode::kImplicit) {
    phase_ = Phase::kTls;
    StartTls();
  } else {
    phase_ = Phase::kGreeting;
  }
}

void ImapClient::OnTlsReady() {
  if (phase_ == Phase::kTls) {
    phase_ = Phase::kGreeting;
  } else if (phase_ == Phase::kUpgrading) {
    BecomeReady();
  }
}

void ImapClient::OnLine(std::string_view line) {
  switch (phase_) {
    case Phase::kGreeting:
      // RFC 3501 §7.1: "* OK" greets; "* PREAUTH" or "* BYE" are not what a
      // login-less benchmark expects.
      if (line.substr(0, 5) != "* OK ") return FailConnect(fmt::format("bad greeting: {}", line));
      if (options().tls == TlsMode::kStartTls) {
        phase_ = Phase::kStartTlsReply;
        Send(fmt::format("{} STARTTLS\r\n", kStartTlsTag));
      } else {
        BecomeReady();
      }
      return;
    case Phase::kStartTlsReply: {
      std::string_view status;
      if (!IsTagged(line, kStartTlsTag, &status)) return;  // untagged data is allowed
      if (status != "OK") return FailConnect(fmt::format("STARTTLS refused: {}", line));
      phase_ = Phase::kUpgrading;
      StartTls();
      return;
    }
    case Phase::kReady:
      OnResponse(line);
      return;
    case Phase::kClosed:
    case Phase::kTls:
    case Phase::kUpgrading:
      return FailConnect(fmt::format("unexpected data during TLS setup: {}", line));
  }
}

void ImapClient::BecomeReady() {
  phase_ = Phase::kReady;
  ClearDeadline();
  FinishConnect();
  if (counts_as_client()) ++stats().established;
  OnReady();
}

void ImapClient::FailConnect(std::string_view why) {
  phase_ = Phase::kClosed;
  Close();
  OnConnectFailed(why);
}

void ImapClient::OnTransportError(std::string_view why) {
  bool was_ready = phase_ == Phase::kReady;
  phase_ = Phase::kClosed;
  if (was_ready) {
    OnConnectionLost(why);
  } else {
    OnConnectFailed(why);
  }
}

void ImapClient::OnDeadline() {
  if (phase_ == Phase::kReady) return OnCommandTimeout();
  FailConnect("timed out before the greeting/TLS completed");
}

void ImapClient::OnConnectFailed(std::string_view why) {
  if (counts_as_client()) {
    stats().NoteConnectFailure(std::string(why));
  } else {
    ++stats().probe_errors;
  }
}

void ImapClient::OnConnectionLost(std::string_view why) {
  if (counts_as_client()) {
    stats().NoteError(std::string(why));
  } else {
    ++stats().probe_errors;
  }
}

void ImapClient::OnCommandTimeout() {
  stats().NoteError("command timed out");
  CloseConnection();
}

}  // namespace roost::bench
