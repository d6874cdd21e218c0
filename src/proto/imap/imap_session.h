// ImapSession: the IMAP4rev1 state machine of one connection (RFC 9051 §3),
// on top of Session.
//
// Each frame is one command: the session parses "tag name", looks the name
// up in the command table (command_table.h), checks the connection state,
// runs the handler with a CommandContext, writes the reply in one Write,
// and returns the frame's pipelining credit (FrameDone). Framer errors are
// answered here (BAD line too long, NO [TOOBIG] for refused literals,
// RFC 7889; BYE and close for fatal ones).
//
// STARTTLS (RFC 9051 §6.2.1, RFC 3207 §4.2 for the injection defence): after
// the OK is flushed the session asks the connection to start TLS and then
// discards every frame that arrives before OnTlsStarted, because those
// bytes were sent in plaintext before the handshake.
//
// The public methods below are for command handlers. Thread affinity:
// strand only (the ConnectionHandler side is Session's).
#pragma once

#include <string>

#include "exec/executor.h"
#include "net/protocol.h"
#include "proto/common/response_writer.h"
#include "proto/common/session.h"
#include "proto/imap/command_table.h"
#include "proto/imap/imap_service.h"
#include "proto/imap/parser.h"

namespace roost::proto::imap {

class ImapSession final : public Session {
 public:
  // Use Session::Create<ImapSession>(...).
  ImapSession(exec::Executor& executor, net::ConnectionHandle handle, ImapOptions options);

  // The CAPABILITY list for the current state, e.g.
  // "IMAP4rev1 STARTTLS LOGINDISABLED".
  std::string Capabilities() const;
  ImapState state() const { return state_; }
  bool tls_active() const { return tls_active_; }
  // TLS is configured here and not active (nor being started).
  bool StartTlsAvailable() const;

  // cmd_starttls: flushes the reply written so far, then asks the
  // connection for the handshake. REQUIRES: StartTlsAvailable().
  void BeginStartTls();
  // cmd_logout: after this command's reply the connection is closed.
  void BeginLogout();

 protected:
  void Greet(const net::PeerInfo& peer) override;
  void HandleFrame(net::Frame frame) override;
  void TlsStarted(const Status& status, const net::TlsInfo& info) override;
  void Shutdown() override;
  std::string InternalErrorReply(std::string_view correlation_id) const override;

 private:
  void HandleFrameError(const net::FrameError& error);
  void RunCommand(const net::Frame& frame);
  // Runs a table entry's handler, or answers why it cannot run.
  void Dispatch(const CommandSpec& spec, std::string_view tag, std::string_view name, CommandParser& parser);
  // Flushes the reply, closes after LOGOUT, returns the frame's credit.
  void FinishFrame();
  Counter& CounterFor(const CommandSpec* spec);

  const ImapOptions options_;
  ResponseWriter out_;
  ImapState state_ = ImapState::kNotAuthenticated;
  bool tls_active_ = false;
  bool tls_pending_ = false;  // StartTls() asked, OnTlsStarted not yet seen
  bool closing_ = false;      // BYE sent or the connection is going away
};

}  // namespace roost::proto::imap
