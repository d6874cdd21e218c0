#include "net/connection_sink.h"

#include <utility>

#include "base/log.h"
#include "net/connection.h"

namespace roost::net {

ConnectionSinkImpl::ConnectionSinkImpl(IoLoop& loop, Connection* connection, uint64_t id,
                                       size_t output_soft, size_t output_hard)
    : loop_(loop), connection_(connection), id_(id), soft_(output_soft), hard_(output_hard) {}

template <typename Fn>
void ConnectionSinkImpl::PostToConnection(Fn fn) {
  if (closed_.load(std::memory_order_acquire)) return;
  loop_.Post([self = shared_from_this(), fn = std::move(fn)] {
    if (self->connection_ != nullptr) fn(*self->connection_);
  });
}

void ConnectionSinkImpl::Write(std::string data) {
  if (data.empty() || closed_.load(std::memory_order_acquire)) return;
  size_t n = data.size();
  size_t queued = queued_.fetch_add(n, std::memory_order_relaxed) + n;
  if (queued > hard_) {
    // A reader that never reads (or a session ignoring OverSoftLimit):
    // drop the connection rather than buffer without bound.
    queued_.fetch_sub(n, std::memory_order_relaxed);
    if (!over_hard_.exchange(true)) {
      ROOST_LOG_WARN("conn={} output queue over hard limit ({} > {} bytes), aborting", id_, queued,
                     hard_);
      PostToConnection([](Connection& c) { c.Abort(); });
    }
    return;
  }
  bool post = false;
  {
    std::lock_guard lock(mu_);
    if (closed_.load(std::memory_order_relaxed)) {
      queued_.fetch_sub(n, std::memory_order_relaxed);
      return;
    }
    pending_.push_back(std::move(data));
    post = !std::exchange(flush_posted_, true);
  }
  if (post) PostToConnection([](Connection& c) { c.FlushPending(); });
}

void ConnectionSinkImpl::CloseAfterFlush() {
  PostToConnection([](Connection& c) { c.DoCloseAfterFlush(); });
}

void ConnectionSinkImpl::Abort() {
  PostToConnection([](Connection& c) { c.Abort(); });
}

void ConnectionSinkImpl::StartTls() {
  PostToConnection([](Connection& c) { c.DoStartTls(); });
}

void ConnectionSinkImpl::SetAuthenticated() {
  PostToConnection([](Connection& c) { c.DoSetAuthenticated(); });
}

void ConnectionSinkImpl::FrameDone() {
  PostToConnection([](Connection& c) { c.DoFrameDone(); });
}

void ConnectionSinkImpl::RequestWritable() {
  PostToConnection([](Connection& c) { c.DoRequestWritable(); });
}

void ConnectionSinkImpl::MarkClosed() {
  connection_ = nullptr;
  std::vector<std::string> dropped;
  {
    std::lock_guard lock(mu_);
    closed_.store(true, std::memory_order_release);
    dropped.swap(pending_);
  }
}

std::vector<std::string> ConnectionSinkImpl::TakePending() {
  std::vector<std::string> batch;
  std::lock_guard lock(mu_);
  batch.swap(pending_);  // leaves pending_ with no capacity: idle costs nothing
  flush_posted_ = false;
  return batch;
}

void ConnectionSinkImpl::AddQueued(int64_t delta) {
  queued_.fetch_add(static_cast<size_t>(delta), std::memory_order_relaxed);
}

}  // namespace roost::net
