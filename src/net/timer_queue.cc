#include "net/timer_queue.h"

#include <algorithm>
#include <utility>

namespace roost::net {

uint64_t TimerQueue::Add(TimePoint deadline, std::function<void()> fn) {
  uint64_t id = next_id_++;
  callbacks_.emplace(id, std::move(fn));
  heap_.push_back(Entry{deadline, id});
  std::push_heap(heap_.begin(), heap_.end());
  return id;
}

void TimerQueue::Cancel(uint64_t id) {
  callbacks_.erase(id);
  // Keep the heap from growing without bound when timers are re-armed and
  // cancelled much faster than they expire (idle timeouts reset on input).
  if (heap_.size() > 64 && heap_.size() > 4 * callbacks_.size()) {
    std::erase_if(heap_, [this](const Entry& e) { return !callbacks_.contains(e.id); });
    std::make_heap(heap_.begin(), heap_.end());
  }
}

void TimerQueue::DropStaleTop() {
  while (!heap_.empty() && !callbacks_.contains(heap_.front().id)) {
    std::pop_heap(heap_.begin(), heap_.end());
    heap_.pop_back();
  }
}

std::optional<TimerQueue::TimePoint> TimerQueue::NextDeadline() {
  DropStaleTop();
  if (heap_.empty()) return std::nullopt;
  return heap_.front().deadline;
}

size_t TimerQueue::RunExpired(TimePoint now) {
  const uint64_t first_new_id = next_id_;
  size_t ran = 0;
  std::vector<Entry> added_during_run;
  for (;;) {
    DropStaleTop();
    if (heap_.empty()) break;
    const Entry top = heap_.front();
    if (top.deadline > now) break;
    std::pop_heap(heap_.begin(), heap_.end());
    heap_.pop_back();
    if (top.id >= first_new_id) {  // added by a callback of this run
      added_during_run.push_back(top);
      continue;
    }
    auto it = callbacks_.find(top.id);
    std::function<void()> fn = std::move(it->second);
    callbacks_.erase(it);
    fn();  // may Add or Cancel; we hold no iterator across the call
    ++ran;
  }
  for (const Entry& e : added_during_run) {
    heap_.push_back(e);
    std::push_heap(heap_.begin(), heap_.end());
  }
  return ran;
}

}  // namespace roost::net
