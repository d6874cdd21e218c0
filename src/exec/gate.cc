#include "exec/gate.h"

namespace roost::exec {

bool Gate::TryEnter() {
  uint64_t s = state_.load(std::memory_order_relaxed);
  while (!(s & kClosedBit)) {
    if (state_.compare_exchange_weak(s, s + 1, std::memory_order_acq_rel)) return true;
  }
  return false;
}

void Gate::Leave() {
  uint64_t after = state_.fetch_sub(1, std::memory_order_acq_rel) - 1;
  if (after == kClosedBit) Finish();
}

void Gate::Close(std::function<void()> on_closed) {
  {
    std::lock_guard lock(mu_);
    if (close_called_) return;
    close_called_ = true;
    on_closed_ = std::move(on_closed);
  }
  uint64_t before = state_.fetch_or(kClosedBit, std::memory_order_acq_rel);
  if (before == 0) Finish();
}

void Gate::Finish() {
  std::function<void()> fn;
  {
    std::lock_guard lock(mu_);
    if (finished_) return;
    finished_ = true;
    fn = std::move(on_closed_);
  }
  if (fn) fn();
}

}  // namespace roost::exec
