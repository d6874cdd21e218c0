// ImapClient: the IMAP layer shared by roost-bench's IMAP profiles.
//
// It takes a connection from "TCP up" to "ready for commands": implicit TLS
// handshake, greeting check ("* OK", RFC 3501 §7.1.1), and the STARTTLS
// upgrade (RFC 3501 §6.2.1) when --tls starttls is asked for. Profiles derive
// from it and see only OnReady, OnResponse and the failure hooks, plus
// helpers to send tagged commands and time them.
//
// Thread affinity: its Worker's thread only.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "client.h"

namespace roost::bench {

class ImapClient : public Client {
 public:
  using Client::Client;

 protected:
  // Starts (or restarts) a connection; OnReady or OnConnectFailed follows.
  void Connect() { RequestConnect(); }
  bool ready() const { return phase_ == Phase::kReady; }
  // Sends "<tag> <command>\r\n" with a fresh tag, arms the reply timeout and
  // remembers the send time; returns the tag.
  std::string SendCommand(std::string_view command);
  // Nanoseconds since the last SendCommand.
  uint64_t ElapsedSinceSend() const;
  void CloseConnection() {
    phase_ = Phase::kClosed;
    Close();
  }
  std::chrono::nanoseconds timeout() const;

  // Profile hooks.
  virtual void OnReady() = 0;
  virtual void OnResponse(std::string_view line) = 0;
  // Default: counted as a connect failure (or probe error for non-clients).
  virtual void OnConnectFailed(std::string_view why);
  // The server closed or broke a ready connection. Default: an error.
  virtual void OnConnectionLost(std::string_view why);
  // A command got no complete reply within --timeout. Default: error, close.
  virtual void OnCommandTimeout();

 private:
  enum class Phase { kClosed, kTls, kGreeting, kStartTlsReply, kUpgrading, kReady };

  void OnConnected() final;
  void OnTlsReady() final;
  void OnLine(std::string_view line) final;
  void OnTransportError(std::string_view why) final;
  void OnDeadline() final;
  void FailConnect(std::string_view why);
  void BecomeReady();

  Phase phase_ = Phase::kClosed;
  uint64_t next_tag_ = 1;
  SteadyTime sent_at_{};
};

// "a1 OK ..." -> true when `line` is the tagged completion for `tag`;
// `status` receives "OK", "NO" or "BAD".
bool IsTagged(std::string_view line, std::string_view tag, std::string_view* status);

}  // namespace roost::bench
