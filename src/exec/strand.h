// Strand: runs the tasks posted to it one at a time, in posting order, on an
// Executor's workers. Each session owns one, so all of a session's state is
// touched by one task at a time without locks, while different sessions run
// in parallel and steal work freely.
//
// Implementation: a mutex-protected queue plus a "scheduled" bit. Posting to
// an idle strand schedules one drain task on the executor; the drain task
// runs a bounded batch of tasks and reschedules itself if more remain, so
// a busy session cannot starve the others of a worker.
//
// While a task runs, the thread's log session id is the strand's tag.
//
// Thread affinity: Post() is thread-safe. Tasks run on worker threads, one
// at a time per strand. The strand is shared (shared_ptr) so that a drain
// task can keep it alive; the executor must outlive it.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>

#include "exec/executor.h"

namespace roost::exec {

class Strand : public std::enable_shared_from_this<Strand> {
 public:
  static std::shared_ptr<Strand> Create(Executor& executor, uint64_t log_tag = 0);
  Strand(const Strand&) = delete;
  Strand& operator=(const Strand&) = delete;

  // Queues `fn`; it runs after every task posted to this strand before it.
  void Post(std::function<void()> fn);

  // True when called from inside one of this strand's tasks.
  bool RunningInThisThread() const;

 private:
  Strand(Executor& executor, uint64_t log_tag) : executor_(executor), log_tag_(log_tag) {}
  void Drain();

  // Tasks run per drain before yielding the worker to other strands.
  static constexpr int kBatch = 64;

  Executor& executor_;
  const uint64_t log_tag_;
  std::mutex mu_;
  std::deque<std::function<void()>> queue_;  // GUARDED_BY(mu_)
  bool scheduled_ = false;                   // GUARDED_BY(mu_)
};

}  // namespace roost::exec

#ifndef NDEBUG
#define ROOST_DCHECK_ON_STRAND(strand) assert((strand).RunningInThisThread())
#else
#define ROOST_DCHECK_ON_STRAND(strand) ((void)0)
#endif
