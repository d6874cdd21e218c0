// Connection output and closing: batched flushes, one Send in flight,
// limits, and the single deferred close path.
#include <unistd.h>

#include <array>
#include <utility>

#include "base/log.h"
#include "net/connection.h"
#include "net/connection_manager.h"
#include "net/connection_metrics.h"
#include "net/connection_sink.h"

namespace roost::net {

// Moves everything the session wrote since the last flush into the output
// queue (one posted flush per batch) and starts a send.
void Connection::FlushPending() {
  if (state_ >= State::kClosing) return;
  // Nothing can be encrypted mid-handshake; OnHandshakeDone flushes.
  if (tls_ && !tls_->handshake_done()) return;
  std::vector<std::string> batch = sink_->TakePending();
  if (batch.empty()) return;
  if (!tls_) {
    for (std::string& chunk : batch) out_.Append(std::move(chunk));
  } else {
    size_t plain = 0;
    for (const std::string& chunk : batch) plain += chunk.size();
    std::string wire;
    for (const std::string& chunk : batch) {
      Status status = tls_->Encrypt(chunk, wire);
      if (!status.ok()) {
        ROOST_LOG_WARN("conn={} TLS encrypt failed: {}", id_, status.ToString());
        Abort();
        return;
      }
    }
    // QueuedBytes counted the plaintext; it now tracks the records.
    sink_->AddQueued(static_cast<int64_t>(wire.size()) - static_cast<int64_t>(plain));
    out_.Append(std::move(wire));
  }
  MaybeSend();
}

// Bytes produced by the IO thread itself (TLS handshake, continuations).
void Connection::QueueWire(std::string bytes) {
  sink_->AddQueued(static_cast<int64_t>(bytes.size()));
  out_.Append(std::move(bytes));
}

void Connection::QueuePlain(std::string bytes) {
  if (!tls_) {
    QueueWire(std::move(bytes));
    return;
  }
  std::string wire;
  Status status = tls_->Encrypt(bytes, wire);
  if (!status.ok()) {
    ROOST_LOG_WARN("conn={} TLS encrypt failed: {}", id_, status.ToString());
    Abort();
    return;
  }
  QueueWire(std::move(wire));
}

void Connection::MaybeSend() {
  if (send_in_flight_ || out_.empty() || state_ >= State::kClosing) return;
  std::array<iovec, OutputQueue::kMaxIovecs> iov;
  size_t n = out_.Gather(iov);
  send_in_flight_ = true;
  // Nothing received so far can be an answer to what we send now.
  if (!tls_) in_before_send_ = in_.size();
  manager_.loop().Send(fd_, std::span<const iovec>(iov.data(), n));
}

void Connection::OnSendDone(Result<size_t> sent) {
  send_in_flight_ = false;
  if (state_ >= State::kClosing) return;
  if (!sent.has_value() || *sent == 0) {
    if (!sent.has_value()) ROOST_LOG_DEBUG("conn={} send failed: {}", id_, sent.error().ToString());
    out_.Advance(0);
    Close();
    return;
  }
  size_t n = *sent;
  metrics_.bytes_sent.Add(n);
  out_.Advance(n);
  sink_->AddQueued(-static_cast<int64_t>(n));
  if (want_writable_ && sink_->QueuedBytes() < sink_->output_soft()) {
    want_writable_ = false;
    handler_->OnWritable();
  }
  if (!out_.empty()) {
    MaybeSend();
  } else if (close_after_flush_) {
    Close();
  }
}

void Connection::DoRequestWritable() {
  if (state_ != State::kOpen && state_ != State::kHandshake) return;
  if (sink_->QueuedBytes() < sink_->output_soft()) {
    want_writable_ = false;
    handler_->OnWritable();
    return;
  }
  want_writable_ = true;
}

void Connection::DoCloseAfterFlush() {
  if (state_ >= State::kClosing || close_after_flush_) return;
  FlushPending();
  close_after_flush_ = true;
  if (tls_ && tls_->handshake_done()) {
    std::string alert;
    tls_->Shutdown(alert);
    if (!alert.empty()) QueueWire(std::move(alert));
  }
  if (!recv_paused_) {
    recv_paused_ = true;  // nothing more will be read
    manager_.loop().PauseRecv(fd_);
  }
  if (out_.empty() && !send_in_flight_) {
    Close();
    return;
  }
  // A peer that stops reading would keep us waiting forever (receiving is
  // paused, so not even its close is seen): bound the flush.
  CancelHandshakeTimer();
  timer_armed_ = true;
  handshake_timer_ = manager_.loop().RunAfter(options_.handshake_timeout, [sink = sink_] {
    sink->RunOnConnection([](Connection& c) {
      c.timer_armed_ = false;
      ROOST_LOG_INFO("conn={} peer did not read the final output in time, closing", c.id_);
      c.Close();
    });
  });
  MaybeSend();
}

void Connection::Abort() { Close(); }

// The one way out: stop the sink, detach from the loop, and finish in
// Detach's callback, when no kernel operation or callback can see us.
void Connection::Close() {
  if (state_ >= State::kClosing) return;
  state_ = State::kClosing;
  CancelHandshakeTimer();
  sink_->MarkClosed();
  manager_.loop().Detach(fd_, [this] { Finish(); });
}

void Connection::Finish() {
  ::close(fd_);
  fd_ = -1;
  state_ = State::kClosed;
  out_.Advance(0);  // no send is in flight after Detach
  out_.Clear();
  std::string().swap(in_);
  tls_.reset();
  if (handler_) {
    std::shared_ptr<ConnectionHandler> handler = std::move(handler_);
    handler->OnClose();
  }
  metrics_.open.Add(-1);
  if (on_closed_) std::exchange(on_closed_, nullptr)();
  manager_.Destroy(id_);  // deletes this; nothing may follow
}

}  // namespace roost::net
