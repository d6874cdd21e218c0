#include "proto/imap/imap_session.h"

#include <cassert>
#include <chrono>
#include <vector>

#include <fmt/format.h>

#include "base/log.h"
#include "proto/common/line_framer.h"
#include "proto/imap/command_context.h"
#include "proto/imap/parser.h"
#include "proto/imap/status_reply.h"

namespace roost::proto::imap {
namespace {

constexpr std::string_view kProtocol = "imap";

// roost_commands_total{protocol="imap",command=...}, looked up once per
// process: one counter per table entry plus "unknown" at the end.
Counter& CommandCounterFor(const CommandSpec* spec) {
  static const std::vector<Counter*> counters = [] {
    std::vector<Counter*> v;
    for (const CommandSpec& s : AllCommands()) v.push_back(&Session::CommandCounter(kProtocol, s.name));
    v.push_back(&Session::CommandCounter(kProtocol, "unknown"));
    return v;
  }();
  return *counters[spec ? CommandIndex(*spec) : counters.size() - 1];
}

struct ErrorReply {
  Cond cond;
  std::string_view code;
  std::string_view text;
};

// Non-fatal framer errors (RFC 7889 §4 for TOOBIG on refused literals).
ErrorReply FrameErrorReply(net::FrameError::Kind kind) {
  using Kind = net::FrameError::Kind;
  switch (kind) {
    case Kind::kLineTooLong: return {Cond::kBad, "", "Line too long"};
    case Kind::kLiteralTooLarge: return {Cond::kNo, "TOOBIG", "Literal too large"};
    case Kind::kFrameTooLarge: return {Cond::kNo, "TOOBIG", "Command too large"};
    case Kind::kTooManyLiterals: return {Cond::kBad, "", "Too many literals"};
    case Kind::kBadLiteral: return {Cond::kBad, "", "Invalid literal"};
  }
  return {Cond::kBad, "", "Invalid command"};
}

// "<word> [<code>] <text>" for an untagged reply; word is OK/NO/BAD/BYE.
std::string UntaggedReply(std::string_view word, std::string_view code, std::string_view text) {
  if (code.empty()) return fmt::format("{} {}", word, text);
  return fmt::format("{} [{}] {}", word, code, text);
}

}  // namespace

ImapSession::ImapSession(exec::Executor& executor, net::ConnectionHandle handle, ImapOptions options)
    : Session(executor, handle, std::string(kProtocol)), options_(std::move(options)), out_(std::move(handle)) {}

std::string ImapSession::Capabilities() const {
  std::string caps = "IMAP4rev1";
  if (StartTlsAvailable()) caps += " STARTTLS";
  // No LOGIN exists yet: RFC 9051 §6.2.3 LOGINDISABLED.
  caps += " LOGINDISABLED";
  return caps;
}

bool ImapSession::StartTlsAvailable() const { return options_.starttls_available && !tls_active_ && !tls_pending_; }

void ImapSession::BeginStartTls() {
  ROOST_DCHECK_ON_STRAND(strand());
  // The OK must reach the client in plaintext before the handshake, and
  // the connection must stop framing plaintext input: Write, StartTls and
  // the later FrameDone are posted to the IO thread in this order.
  out_.Flush();
  tls_pending_ = true;
  handle()->StartTls();
}

void ImapSession::BeginLogout() {
  ROOST_DCHECK_ON_STRAND(strand());
  state_ = ImapState::kLogout;
}

void ImapSession::Greet(const net::PeerInfo& peer) {
  tls_active_ = handle()->TlsActive();
  // One line per connection at info, as mail admins expect: the sid= prefix
  // (set by the strand) ties later session lines to conn= lines from net/.
  ROOST_LOG_INFO("imap: connect from {} on {} conn={}{}", peer.remote.ToString(), peer.listener, handle()->id(),
                 peer.proxied ? " (via PROXY)" : "");
  // RFC 9051 §7.1.1: the greeting may carry the capabilities.
  out_.Untagged(fmt::format("OK [CAPABILITY {}] {} ready.", Capabilities(), options_.server_name));
  out_.Flush();
}

void ImapSession::HandleFrame(net::Frame frame) {
  ROOST_DCHECK_ON_STRAND(strand());
  if (closing_) return;
  if (tls_pending_) {
    // Sent in plaintext before the handshake: never trusted (RFC 3207 §4.2).
    ROOST_LOG_DEBUG("imap: discarding {} bytes received before TLS", frame.bytes.size());
    handle()->FrameDone();
    return;
  }
  if (frame.error) {
    HandleFrameError(*frame.error);
    return;
  }
  // An empty line is not a command; ignore it as other servers do.
  if (!frame.bytes.empty()) RunCommand(frame);
  FinishFrame();
}

void ImapSession::HandleFrameError(const net::FrameError& error) {
  ErrorReply reply = FrameErrorReply(error.kind);
  if (error.fatal) {
    out_.Untagged(UntaggedReply("BYE", reply.code, reply.text));
    out_.Flush();
    closing_ = true;
    handle()->CloseAfterFlush();
    return;
  }
  if (error.tag.empty()) {
    out_.Untagged(UntaggedReply(CondName(reply.cond), reply.code, reply.text));
  } else {
    out_.Tagged(error.tag, reply.cond, reply.code, reply.text);
  }
  FinishFrame();
}

void ImapSession::RunCommand(const net::Frame& frame) {
  CommandParser parser(frame.bytes);
  Result<CommandLine> line = parser.ReadCommandLine();
  if (!line) {
    CommandCounterFor(nullptr).Add();
    std::string_view tag = ReadableTag(frame.bytes);
    if (tag.empty()) {
      out_.Untagged(UntaggedReply("BAD", "", line.error().message()));
    } else {
      out_.Tagged(tag, Cond::kBad, "", line.error().message());
    }
    return;
  }
  const CommandSpec* spec = FindCommand(line->name);
  CommandCounterFor(spec).Add();
  if (spec == nullptr) {
    out_.Tagged(line->tag, Cond::kBad, "", "Unknown command");
    return;
  }
  Dispatch(*spec, line->tag, line->name, parser);
}

void ImapSession::Dispatch(const CommandSpec& spec, std::string_view tag, std::string_view name,
                           CommandParser& parser) {
  if (spec.handler == nullptr) {
    out_.Tagged(tag, Cond::kBad, "", "Command not implemented");
    return;
  }
  if ((spec.states & StateBit(state_)) == 0) {
    out_.Tagged(tag, Cond::kBad, "", "Command not allowed in this state");
    return;
  }
  CommandContext ctx{.tag = tag, .name = name, .spec = spec, .args = parser, .out = out_, .session = *this};
  const auto start = std::chrono::steady_clock::now();
  Result<Step> step = spec.handler(ctx);
  command_duration().Observe(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  if (!step) WriteStatusReply(out_, tag, step.error());
}

void ImapSession::FinishFrame() {
  out_.Flush();
  if (state_ == ImapState::kLogout && !closing_) {
    closing_ = true;
    handle()->CloseAfterFlush();
  }
  handle()->FrameDone();
}

void ImapSession::TlsStarted(const Status& status, const net::TlsInfo& info) {
  tls_pending_ = false;
  if (!status.ok()) {
    // The connection closes itself after a failed handshake.
    ROOST_LOG_INFO("imap: STARTTLS handshake failed: {}", status.ToString());
    closing_ = true;
    return;
  }
  tls_active_ = true;
  ROOST_LOG_DEBUG("imap: TLS started {} {}", info.version, info.cipher);
}

void ImapSession::Shutdown() {
  if (closing_) return;
  closing_ = true;
  out_.Untagged("BYE Server shutting down");
  out_.Flush();
  handle()->CloseAfterFlush();
}

std::string ImapSession::InternalErrorReply(std::string_view correlation_id) const {
  return fmt::format("* BYE Internal error (id {})\r\n", correlation_id);
}

}  // namespace roost::proto::imap
