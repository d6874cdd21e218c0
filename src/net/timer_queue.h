// TimerQueue: the one-shot timers of an IoLoop, a min-heap of deadlines.
//
// Both backends own one and ask it two questions per iteration: how long
// may I sleep (NextDeadline) and what is due now (RunExpired). Cancel is by
// id and lazy: the callback is dropped from the id map at once (so its
// captures are released) and the stale heap entry is skipped when it
// reaches the top. Timers due at the same instant run in creation order.
// A timer added from inside a callback never runs in the same RunExpired
// call, so a callback that re-arms itself with a zero delay cannot starve
// the loop.
//
// Thread affinity: not thread-safe; owned by one IoLoop, IO thread only.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <unordered_map>
#include <vector>

namespace roost::net {

class TimerQueue {
 public:
  using Clock = std::chrono::steady_clock;
  using TimePoint = Clock::time_point;

  TimerQueue() = default;
  TimerQueue(const TimerQueue&) = delete;
  TimerQueue& operator=(const TimerQueue&) = delete;

  // Schedules `fn` at `deadline`. Ids start at 1 and are never reused.
  uint64_t Add(TimePoint deadline, std::function<void()> fn);
  // Drops the timer; a no-op if it already ran or was cancelled.
  void Cancel(uint64_t id);
  // The earliest live deadline, if any timer is pending.
  std::optional<TimePoint> NextDeadline();
  // Runs every timer with deadline <= now that existed when the call began,
  // in deadline order. Returns how many ran.
  size_t RunExpired(TimePoint now);

  size_t size() const { return callbacks_.size(); }

 private:
  struct Entry {
    TimePoint deadline;
    uint64_t id;
    // std::push_heap builds a max-heap; invert to get the earliest on top,
    // ties broken by id (creation order).
    bool operator<(const Entry& other) const {
      if (deadline != other.deadline) return deadline > other.deadline;
      return id > other.id;
    }
  };
  // Pops cancelled entries off the top of the heap.
  void DropStaleTop();

  std::vector<Entry> heap_;
  std::unordered_map<uint64_t, std::function<void()>> callbacks_;
  uint64_t next_id_ = 1;
};

}  // namespace roost::net
