#include "net/loop_base.h"

#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>

#include "base/log.h"

namespace roost::net {

LoopBase::LoopBase() = default;

LoopBase::~LoopBase() {
  if (wake_fd_ >= 0) ::close(wake_fd_);
}

Status LoopBase::InitWakeFd() {
  wake_fd_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (wake_fd_ < 0) return Status::FromErrno(errno, "eventfd()");
  return Status::Ok();
}

void LoopBase::WriteWakeFd() {
  uint64_t one = 1;
  // EAGAIN means the counter is saturated: the loop is woken anyway.
  if (::write(wake_fd_, &one, sizeof(one)) < 0 && errno != EAGAIN) {
    ROOST_LOG_ERROR("write(eventfd) failed: {}", strerror(errno));
  }
}

void LoopBase::Post(std::function<void()> fn) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    posted_.push_back(std::move(fn));
    has_posted_.store(true);
  }
  if (sleeping_.exchange(false)) WriteWakeFd();
}

void LoopBase::Stop() {
  stop_.store(true);
  if (sleeping_.exchange(false)) WriteWakeFd();
}

bool LoopBase::InLoopThread() const {
  return loop_thread_.load(std::memory_order_acquire) == std::this_thread::get_id();
}

TimerId LoopBase::RunAfter(std::chrono::milliseconds delay, std::function<void()> fn) {
  return timers_.Add(TimerQueue::Clock::now() + delay, std::move(fn));
}

void LoopBase::CancelTimer(TimerId id) { timers_.Cancel(id); }

bool LoopBase::RunPosted() {
  std::vector<std::function<void()>> batch;
  {
    std::lock_guard<std::mutex> lock(mu_);
    batch.swap(posted_);
    has_posted_.store(false);
  }
  for (auto& fn : batch) fn();
  return !batch.empty();
}

void LoopBase::RunDeferred() {
  // A deferred function may defer more (a send done that triggers a
  // detach); keep going until the queue is empty.
  while (!deferred_.empty()) {
    std::vector<std::function<void()>> batch;
    batch.swap(deferred_);
    for (auto& fn : batch) fn();
  }
}

std::optional<std::chrono::nanoseconds> LoopBase::SleepBudget() {
  if (!deferred_.empty() || stopping()) return std::chrono::nanoseconds(0);
  std::optional<TimerQueue::TimePoint> next = timers_.NextDeadline();
  if (!next) return std::nullopt;
  auto left = *next - TimerQueue::Clock::now();
  return left.count() > 0 ? std::chrono::duration_cast<std::chrono::nanoseconds>(left)
                          : std::chrono::nanoseconds(0);
}

void LoopBase::Run() {
  loop_thread_.store(std::this_thread::get_id(), std::memory_order_release);
  OnRunStart();
  while (!stopping()) {
    RunPosted();
    RunDeferred();
    timers_.RunExpired(TimerQueue::Clock::now());
    RunDeferred();
    std::optional<std::chrono::nanoseconds> budget = SleepBudget();
    if (budget != std::chrono::nanoseconds(0)) {
      sleeping_.store(true);
      // Re-check after publishing sleeping_ (see the header's protocol).
      if (has_posted_.load() || stopping()) budget = std::chrono::nanoseconds(0);
    }
    Poll(budget);
    sleeping_.store(false);
    RunDeferred();
  }
  // Functions posted before Stop() are run; so are the ones they post.
  while (RunPosted()) RunDeferred();
  RunDeferred();
  OnRunEnd();
  RunDeferred();  // Detach `done`s that became ready while draining
  loop_thread_.store(std::thread::id(), std::memory_order_release);
}

}  // namespace roost::net
