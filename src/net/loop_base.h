// LoopBase: the part of an IoLoop both backends share: the Run() skeleton,
// cross-thread Post() with an eventfd wake-up, Stop(), timers and the
// deferred-completion queue.
//
// Backends implement Poll() (wait for kernel events up to a timeout and
// dispatch them) and arm the wake eventfd in their own way (an io_uring
// read op, or an epoll registration), calling DrainWakeFd()/OnWake when it
// fires.
//
// Wake-up protocol: Post() appends under a mutex and raises has_posted_;
// the loop raises sleeping_ and re-checks has_posted_ before blocking. Both
// flags are seq_cst, so either the loop sees the post and does not block,
// or the poster sees sleeping_ and writes the eventfd. The exchange on
// sleeping_ means one eventfd write per sleep, not one per Post.
//
// Deferred completions: OnSendDone and Detach's `done` are never run from
// inside the IoLoop call that caused them; backends queue them with Defer()
// and Run() drains that queue before it sleeps again.
//
// Thread affinity: Post/Stop/InLoopThread thread-safe; the rest IO thread.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "net/io_loop.h"
#include "net/timer_queue.h"

namespace roost::net {

class LoopBase : public IoLoop {
 public:
  ~LoopBase() override;

  void Run() final;
  void Stop() final;
  void Post(std::function<void()> fn) final;
  bool InLoopThread() const final;
  TimerId RunAfter(std::chrono::milliseconds delay, std::function<void()> fn) final;
  void CancelTimer(TimerId id) final;

 protected:
  LoopBase();
  // Creates the eventfd. Called by the backend's factory.
  Status InitWakeFd();
  int wake_fd() const { return wake_fd_; }

  // Waits for kernel events for at most `timeout` (nullopt: no limit) and
  // dispatches them.
  virtual void Poll(std::optional<std::chrono::nanoseconds> timeout) = 0;
  // Called on the IO thread when Run() starts / right before it returns.
  virtual void OnRunStart() {}
  virtual void OnRunEnd() {}

  // Queues `fn` to run later in this loop iteration, after the current
  // dispatch. IO thread only.
  void Defer(std::function<void()> fn) { deferred_.push_back(std::move(fn)); }
  bool stopping() const { return stop_.load(std::memory_order_acquire); }

 private:
  // Runs posted functions; returns true if any ran.
  bool RunPosted();
  void RunDeferred();
  // How long Poll may block: zero when work is already pending.
  std::optional<std::chrono::nanoseconds> SleepBudget();
  void WriteWakeFd();

  int wake_fd_ = -1;
  std::atomic<bool> stop_{false};
  std::atomic<bool> sleeping_{false};
  std::atomic<bool> has_posted_{false};
  std::atomic<std::thread::id> loop_thread_{};
  std::mutex mu_;
  std::vector<std::function<void()>> posted_;  // guarded by mu_
  std::vector<std::function<void()>> deferred_;
  TimerQueue timers_;
};

}  // namespace roost::net
