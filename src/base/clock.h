// Clock: the only source of time for code that has timeouts or delays
// (autologout, IDLE limits, login penalties, the soft output limit).
// Production uses SystemClock; tests inject FakeClock and advance it by hand.
//
// Thread affinity: thread-safe.
#pragma once

#include <atomic>
#include <chrono>

namespace roost {

class Clock {
 public:
  using Duration = std::chrono::nanoseconds;
  using MonoTime = std::chrono::steady_clock::time_point;
  using WallTime = std::chrono::system_clock::time_point;

  virtual ~Clock() = default;
  virtual MonoTime Now() const = 0;
  virtual WallTime WallNow() const = 0;

  // The process-wide SystemClock.
  static Clock& System();
};

class SystemClock final : public Clock {
 public:
  MonoTime Now() const override { return std::chrono::steady_clock::now(); }
  WallTime WallNow() const override { return std::chrono::system_clock::now(); }
};

// A clock that moves only when told to.
class FakeClock final : public Clock {
 public:
  MonoTime Now() const override { return MonoTime(Duration(mono_.load())); }
  WallTime WallNow() const override {
    return WallTime(std::chrono::duration_cast<WallTime::duration>(Duration(wall_.load())));
  }
  void Advance(Duration d) {
    mono_ += d.count();
    wall_ += d.count();
  }

 private:
  std::atomic<long long> mono_{1'000'000'000LL};
  std::atomic<long long> wall_{1'700'000'000'000'000'000LL};
};

inline Clock& Clock::System() {
  static SystemClock clock;
  return clock;
}

}  // namespace roost
