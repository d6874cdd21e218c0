// Draining shutdown (SIGTERM/SIGINT): stop accepting, ask sessions to say
// BYE, give them shutdown_timeout to finish, abort what is left, stop the
// loops, then let the workers finish their queued tasks.
#include <condition_variable>
#include <mutex>
#include <thread>

#include "base/log.h"
#include "server/service.h"

namespace roost::server {
namespace {

// Waits for `count` callbacks, from any thread, for at most a bound.
class Countdown {
 public:
  explicit Countdown(size_t count) : count_(count) {}
  void Done() {
    std::lock_guard lock(mu_);
    if (count_ > 0 && --count_ == 0) zero_.notify_all();
  }
  bool Wait(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mu_);
    return zero_.wait_for(lock, timeout, [this] { return count_ == 0; });
  }

 private:
  std::mutex mu_;
  std::condition_variable zero_;
  size_t count_;  // GUARDED_BY(mu_)
};

// Bounds for steps that need no client cooperation; only a wedged loop
// could exceed them, and then we go on rather than hang forever.
constexpr std::chrono::milliseconds kLoopStepTimeout{5000};
constexpr std::chrono::milliseconds kPollInterval{20};

}  // namespace

size_t Service::OpenConnections() const {
  size_t total = 0;
  for (const auto& loop : loops_) {
    if (loop->manager) total += loop->manager->size();
  }
  return total;
}

void Service::ForEachLoop(const std::function<void(Loop&)>& fn) {
  for (auto& loop : loops_) {
    Loop* l = loop.get();
    l->loop->Post([l, fn] { fn(*l); });
  }
}

// Counts per loop, on the loop's own thread, since only it may look at its
// listeners; after a failed start some loops may have fewer than others.
void Service::StopListeners() {
  auto countdown = std::make_shared<Countdown>(loops_.size());
  ForEachLoop([countdown](Loop& loop) {
    auto remaining = std::make_shared<size_t>(loop.listeners.size());  // IO thread only
    if (*remaining == 0) return countdown->Done();
    for (auto& listener : loop.listeners) {
      listener->Stop([countdown, remaining] {
        if (--*remaining == 0) countdown->Done();
      });
    }
  });
  if (!countdown->Wait(kLoopStepTimeout)) ROOST_LOG_WARN("some listeners did not stop in time");
}

// Polls the managers' atomic counts: cheap, and no callback plumbing from
// every loop for a once-per-process event.
bool Service::WaitForConnections(std::chrono::milliseconds timeout) const {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (OpenConnections() > 0) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(kPollInterval);
  }
  return true;
}

void Service::Shutdown() {
  ROOST_LOG_INFO("shutting down");
  StopListeners();
  ROOST_LOG_INFO("listeners stopped; draining {} connection(s)", OpenConnections());
  ForEachLoop([](Loop& loop) { loop.manager->Drain(); });
  if (!WaitForConnections(config_.server.shutdown_timeout)) {
    ROOST_LOG_WARN("shutdown timeout ({}s): aborting {} connection(s)", config_.server.shutdown_timeout.count(),
                   OpenConnections());
    ForEachLoop([](Loop& loop) { loop.manager->AbortAll(); });
    if (!WaitForConnections(kLoopStepTimeout)) {
      ROOST_LOG_ERROR("{} connection(s) still open after abort", OpenConnections());
    }
  }
  StopLoops();
  ROOST_LOG_INFO("io loops stopped; waiting for workers");
  executor_->Drain();
  ROOST_LOG_INFO("shutdown complete");
}

// Listeners and managers are destroyed on their own IO thread, in the
// last task before Stop(). A manager that still has connections (a wedged
// abort) is leaked rather than freed under its Detach callbacks.
void Service::StopLoops() {
  for (auto& loop : loops_) {
    Loop* l = loop.get();
    l->loop->Post([l] {
      l->listeners.clear();
      if (l->manager && l->manager->size() == 0) {
        l->manager.reset();
      } else {
        (void)l->manager.release();
      }
      l->loop->Stop();
    });
  }
  for (auto& loop : loops_) {
    if (loop->thread.joinable()) loop->thread.join();
  }
  stopped_ = true;
}

}  // namespace roost::server
