#include "exec/executor.h"

#include <algorithm>
#include <thread>

#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/task_arena.h>

#include "base/log.h"

namespace roost::exec {

struct Executor::Tbb {
  // oneTBB's global pool defaults to hardware_concurrency - 1 workers; the
  // control lifts that so the arena really gets `n` worker threads.
  explicit Tbb(int n)
      : control(tbb::global_control::max_allowed_parallelism, static_cast<size_t>(n) + 1),
        arena(n, /*reserved_for_masters=*/0) {}
  tbb::global_control control;
  tbb::task_arena arena;
};

Executor::Executor(unsigned threads)
    : concurrency_(threads ? threads : std::max(1u, std::thread::hardware_concurrency())),
      tbb_(std::make_unique<Tbb>(static_cast<int>(concurrency_))) {}

Executor::~Executor() { Drain(); }

void Executor::Post(std::function<void()> fn) {
  pending_.fetch_add(1, std::memory_order_relaxed);
  // The task owns `fn` through a pointer that travels inside oneTBB's task
  // (whose functor is const, so it could not release captures itself), so
  // RunTask can destroy the function, and everything it captured, before
  // it counts the task as done. Otherwise Drain() could return while a
  // worker still holds the last reference to a session or strand.
  auto task = std::make_unique<std::function<void()>>(std::move(fn));
  tbb_->arena.enqueue([this, raw = task.release()] { RunTask(std::unique_ptr<std::function<void()>>(raw)); });
}

void Executor::RunTask(std::unique_ptr<std::function<void()>> task) {
  try {
    (*task)();
  } catch (const std::exception& e) {
    // Exceptions are for programming errors; they must not take down a
    // worker. The task's owner (a session) notices its own broken state.
    ROOST_LOG_ERROR("uncaught exception in task: {}", e.what());
  }
  task.reset();
  if (pending_.fetch_sub(1, std::memory_order_acq_rel) == 1) {
    std::lock_guard lock(mu_);
    idle_.notify_all();
  }
}

void Executor::Drain() {
  std::unique_lock lock(mu_);
  idle_.wait(lock, [&] { return pending_.load(std::memory_order_acquire) == 0; });
}

}  // namespace roost::exec
