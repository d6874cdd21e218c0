// Connection: implicit TLS and STARTTLS over the sans-IO TlsSession.
#include <algorithm>
#include <utility>

#include "base/log.h"
#include "net/connection.h"
#include "net/connection_manager.h"
#include "net/connection_metrics.h"
#include "net/connection_sink.h"

namespace roost::net {

Status Connection::NewTlsSession() {
  std::shared_ptr<TlsContext> context = options_.tls_context ? options_.tls_context() : nullptr;
  if (!context) return Status::NotSupported("TLS is not configured");
  ROOST_ASSIGN_OR_RETURN(tls_, TlsSession::NewServer(std::move(context)));
  return Status::Ok();
}

void Connection::FeedTls(std::string_view wire) {
  std::string to_network;
  Status status = tls_->FeedCiphertext(wire, in_, to_network);
  if (!to_network.empty()) QueueWire(std::move(to_network));
  if (!status.ok()) {
    FailTls(status);
    return;
  }
  if (state_ == State::kHandshake && tls_->handshake_done()) OnHandshakeDone();
  if (tls_ && tls_->peer_closed() && state_ < State::kClosing) {
    // close_notify: the client is done; anything it sent before is framed
    // already, and nothing it would read can follow.
    Close();
    return;
  }
  MaybeSend();
}

void Connection::OnHandshakeDone() {
  CancelHandshakeTimer();
  sink_->set_tls_active(true);
  if (!starttls_) {
    Open();  // implicit TLS: greet now
  } else {
    starttls_ = false;
    state_ = State::kOpen;
    handler_->OnTlsStarted(Status::Ok(), tls_->info());
  }
  // Writes that arrived during the handshake were held (nothing can be
  // encrypted before it finishes); send them now.
  FlushPending();
  Pump();
}

void Connection::FailTls(const Status& status) {
  ROOST_LOG_INFO("conn={} TLS failed: {}", id_, status.ToString());
  if (state_ == State::kHandshake) {
    RejectedCounter(factory_->protocol(), "tls_handshake").Add();
    if (starttls_) handler_->OnTlsStarted(status, TlsInfo{});
  }
  // Send the alert the session produced, if any, then close.
  close_after_flush_ = true;
  if (out_.empty() && !send_in_flight_) Close();
  else MaybeSend();
}

// RFC 3501 §6.2.1 / RFC 2595 §3.1: after "OK Begin TLS negotiation now" the
// next bytes from the client are the handshake; anything it pipelined in
// plaintext is discarded (CVE-2011-0411, RFC 3207 §4.2).
//
// The session's OK may already be on the wire when this runs (it is
// flushed on its own), so the client's ClientHello may already sit in in_.
// Bytes that arrived before our latest send cannot be an answer to the OK
// and are dropped; later ones go to the TLS session. Plaintext injected
// after the OK therefore fails the handshake; none is ever framed.
void Connection::DoStartTls() {
  if (state_ != State::kOpen || tls_) {
    if (handler_ && state_ < State::kClosing) {
      handler_->OnTlsStarted(Status::InvalidArgument("TLS already active"), TlsInfo{});
    }
    return;
  }
  FlushPending();  // the tagged OK goes out in plaintext
  std::string early = in_.substr(std::min(in_before_send_, in_.size()));
  std::string().swap(in_);
  in_before_send_ = 0;
  framer_ = factory_->NewFramer();  // forget any partial frame
  framer_->SetLimits(authenticated_ ? options_.limits.post_auth : options_.limits.pre_auth);
  Status status = NewTlsSession();
  if (!status.ok()) {
    ROOST_LOG_WARN("conn={} STARTTLS failed: {}", id_, status.ToString());
    handler_->OnTlsStarted(status, TlsInfo{});
    DoCloseAfterFlush();  // the client expects a handshake we cannot give
    return;
  }
  state_ = State::kHandshake;
  starttls_ = true;
  timer_armed_ = true;
  handshake_timer_ = manager_.loop().RunAfter(options_.handshake_timeout, [sink = sink_] {
    sink->RunOnConnection([](Connection& c) { c.OnHandshakeTimeout(); });
  });
  if (!early.empty()) FeedTls(early);
  UpdateRecvPause();
}

}  // namespace roost::net
