// ConnectionSinkImpl: the thread-safe half of a Connection, handed to the
// session as its ConnectionHandle.
//
// Writes are appended to a mutex-protected vector, and the first write
// after a flush posts ONE flush to the IO thread (redis's pending-write
// batching): a session answering FETCH with a thousand lines costs one
// wake-up and one send. Every other call posts a small function. Posted
// functions reach the Connection through conn_, a raw pointer that only the
// IO thread reads or writes and that is cleared when closing begins; they
// hold the sink by shared_ptr, so the sink outlives them even if the
// Connection is gone.
//
// QueuedBytes counts bytes written and not yet sent: pending here plus the
// Connection's output queue (wire bytes, so TLS overhead is included).
//
// Thread affinity: the ConnectionSink methods are thread-safe. MarkClosed,
// TakePending, AddQueued and RunOnConnection are IO thread only.
// REQUIRES: the IoLoop outlives every call made before MarkClosed().
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "net/io_loop.h"
#include "net/protocol.h"

namespace roost::net {

class Connection;

class ConnectionSinkImpl final : public ConnectionSink,
                                 public std::enable_shared_from_this<ConnectionSinkImpl> {
 public:
  ConnectionSinkImpl(IoLoop& loop, Connection* connection, uint64_t id, size_t output_soft,
                     size_t output_hard);

  // ConnectionSink.
  void Write(std::string data) override;
  void CloseAfterFlush() override;
  void Abort() override;
  void StartTls() override;
  void SetAuthenticated() override;
  void FrameDone() override;
  void RequestWritable() override;
  // 0 once closed (nothing will be sent; also hides the transient count of
  // a Write racing with the close).
  size_t QueuedBytes() const override {
    return closed_.load(std::memory_order_acquire) ? 0 : queued_.load(std::memory_order_relaxed);
  }
  bool OverSoftLimit() const override { return QueuedBytes() >= soft_; }
  bool TlsActive() const override { return tls_active_.load(std::memory_order_relaxed); }
  uint64_t id() const override { return id_; }

  // IO thread side.
  // Stops the sink: drops pending writes and turns every later call into a
  // no-op. Called when closing starts.
  void MarkClosed();
  std::vector<std::string> TakePending();
  // Adjusts QueuedBytes by `delta` (wire bytes added or sent).
  void AddQueued(int64_t delta);
  // Runs fn(connection) unless closing has begun (timers and other IO
  // thread callbacks that must not outlive the Connection).
  template <typename Fn>
  void RunOnConnection(Fn fn) {
    if (connection_ != nullptr) fn(*connection_);
  }
  void set_tls_active(bool on) { tls_active_.store(on, std::memory_order_relaxed); }
  size_t output_soft() const { return soft_; }

 private:
  // Posts `fn(connection)` to the IO thread unless closed.
  template <typename Fn>
  void PostToConnection(Fn fn);

  IoLoop& loop_;
  Connection* connection_;  // IO thread only; null once closing
  const uint64_t id_;
  const size_t soft_;
  const size_t hard_;
  std::atomic<bool> closed_{false};
  std::atomic<bool> tls_active_{false};
  std::atomic<bool> over_hard_{false};
  std::atomic<size_t> queued_{0};
  std::mutex mu_;
  std::vector<std::string> pending_;  // GUARDED_BY(mu_)
  bool flush_posted_ = false;         // GUARDED_BY(mu_)
};

}  // namespace roost::net
