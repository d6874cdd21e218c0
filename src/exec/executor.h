// Executor: the worker pool that runs protocol and storage work.
//
// A thin owner of a oneTBB task_arena with a fixed number of worker threads.
// Tasks are fire-and-forget (task_arena::enqueue, which never blocks the
// caller); ordering between the tasks of one session comes from Strand, not
// from here. IO threads only ever Post() into it: they never run protocol or
// storage code themselves.
//
// Thread affinity: thread-safe. The executor must outlive every Strand
// bound to it; the destructor waits for queued tasks to finish.
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>

namespace roost::exec {

class Executor {
 public:
  // `threads` == 0 means one worker per hardware thread.
  explicit Executor(unsigned threads = 0);
  ~Executor();
  Executor(const Executor&) = delete;
  Executor& operator=(const Executor&) = delete;

  // Queues `fn` to run once on some worker thread. Never blocks.
  void Post(std::function<void()> fn);

  // Blocks until every posted task (including tasks they post) has run.
  // REQUIRES: not called from a worker thread.
  void Drain();

  unsigned concurrency() const { return concurrency_; }

 private:
  struct Tbb;  // hides oneTBB headers from includers
  void RunTask(std::unique_ptr<std::function<void()>> task);

  unsigned concurrency_;
  std::unique_ptr<Tbb> tbb_;
  std::atomic<uint64_t> pending_{0};
  std::mutex mu_;
  std::condition_variable idle_;
};

}  // namespace roost::exec
