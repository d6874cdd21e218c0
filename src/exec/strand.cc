#include "exec/strand.h"

#include <cassert>

#include "base/log.h"

namespace roost::exec {
namespace {
thread_local const Strand* tls_current_strand = nullptr;
}  // namespace

std::shared_ptr<Strand> Strand::Create(Executor& executor, uint64_t log_tag) {
  return std::shared_ptr<Strand>(new Strand(executor, log_tag));
}

void Strand::Post(std::function<void()> fn) {
  bool schedule = false;
  {
    std::lock_guard lock(mu_);
    queue_.push_back(std::move(fn));
    if (!scheduled_) schedule = scheduled_ = true;
  }
  if (schedule) {
    executor_.Post([self = shared_from_this()] { self->Drain(); });
  }
}

bool Strand::RunningInThisThread() const { return tls_current_strand == this; }

void Strand::Drain() {
  log::ScopedSessionId sid(log_tag_);
  const Strand* previous = tls_current_strand;
  tls_current_strand = this;
  for (int i = 0; i < kBatch; ++i) {
    std::function<void()> task;
    {
      std::lock_guard lock(mu_);
      if (queue_.empty()) {
        scheduled_ = false;
        tls_current_strand = previous;
        return;
      }
      task = std::move(queue_.front());
      queue_.pop_front();
    }
    task();
  }
  tls_current_strand = previous;
  // Batch used up with work left: go to the back of the executor's queue
  // so other sessions get a turn. scheduled_ stays true meanwhile.
  executor_.Post([self = shared_from_this()] { self->Drain(); });
}

}  // namespace roost::exec
