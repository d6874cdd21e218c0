#include "proto/common/session.h"

#include <atomic>
#include <exception>

#include "base/log.h"

namespace roost::proto {
namespace {

Gauge& SessionsGauge(std::string_view protocol) {
  return MetricsRegistry::Global().GetGauge("roost_sessions", "Protocol sessions alive",
                                            {{"protocol", std::string(protocol)}});
}

Histogram& CommandDuration(std::string_view protocol) {
  return MetricsRegistry::Global().GetHistogram("roost_command_duration_seconds", "Time to execute one command",
                                                {{"protocol", std::string(protocol)}});
}

uint64_t NextSessionId() {
  static std::atomic<uint64_t> next{1};
  return next.fetch_add(1, std::memory_order_relaxed);
}

}  // namespace

Session::Session(exec::Executor& executor, net::ConnectionHandle handle, std::string protocol)
    : id_(NextSessionId()),
      protocol_(std::move(protocol)),
      handle_(std::move(handle)),
      strand_(exec::Strand::Create(executor, id_)),
      sessions_gauge_(SessionsGauge(protocol_)),
      command_duration_(CommandDuration(protocol_)) {
  sessions_gauge_.Add(1);
}

Session::~Session() { sessions_gauge_.Add(-1); }

void Session::RegisterMetrics(std::string_view protocol) {
  SessionsGauge(protocol);
  CommandDuration(protocol);
}

Counter& Session::CommandCounter(std::string_view protocol, std::string_view command) {
  return MetricsRegistry::Global().GetCounter("roost_commands_total", "Commands executed",
                                              {{"protocol", std::string(protocol)}, {"command", std::string(command)}});
}

void Session::OnOpen(const net::PeerInfo& peer) {
  Post([this, peer] { Greet(peer); });
}

void Session::OnFrame(net::Frame frame) {
  Post([this, frame = std::move(frame)]() mutable { HandleFrame(std::move(frame)); });
}

void Session::OnWritable() {
  Post([this] { Writable(); });
}

void Session::OnTlsStarted(const Status& status, const net::TlsInfo& info) {
  Post([this, status, info] { TlsStarted(status, info); });
}

void Session::OnShutdown() {
  Post([this] { Shutdown(); });
}

void Session::OnClose() {
  // Closed() runs even after a failure: it releases resources.
  if (gate_.TryEnter()) {
    strand_->Post([this, self = shared_from_this()] {
      closed_ = true;
      try {
        Closed();
      } catch (const std::exception& e) {
        ROOST_LOG_ERROR("{} session: exception while closing: {}", protocol_, e.what());
      }
      gate_.Leave();
    });
  }
  // Once the last task has left, drop the self-reference from a strand
  // task of its own: it runs after the task that drained the gate has
  // returned, so the destructor never runs under one of our tasks.
  gate_.Close([this] { strand_->Post([keep = std::move(self_)] {}); });
}

void Session::Post(std::function<void()> fn) {
  if (!gate_.TryEnter()) return;  // closed: the connection is gone
  strand_->Post([this, self = shared_from_this(), fn = std::move(fn)] {
    RunGuarded(fn);
    gate_.Leave();
  });
}

void Session::RunGuarded(const std::function<void()>& fn) {
  if (failed_ || closed_) return;
  try {
    fn();
  } catch (const std::exception& e) {
    Fail(e.what());
  } catch (...) {
    Fail("unknown exception");
  }
}

void Session::Fail(std::string_view what) {
  failed_ = true;
  std::string correlation_id = log::NewCorrelationId();
  ROOST_LOG_ERROR("{} session internal error id={}: {}", protocol_, correlation_id, what);
  try {
    handle_->Write(InternalErrorReply(correlation_id));
  } catch (...) {
    // Best effort only (bad_alloc): the close below matters more.
  }
  handle_->CloseAfterFlush();
}

}  // namespace roost::proto
