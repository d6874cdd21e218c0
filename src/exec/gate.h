// Gate: counts the tasks working on an object so it can be shut down safely.
//
// Work enters the gate (TryEnter) and leaves it (Leave, or a Holder going
// out of scope). Close() refuses new entries; the on_closed callback runs
// exactly once, on the thread that makes the count reach zero after Close
// (which may be the caller of Close if nothing was inside). Unlike
// seastar's shard-local gate this one is atomic, because TBB tasks holding
// it run on any worker.
//
// Thread affinity: thread-safe.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <mutex>

namespace roost::exec {

class Gate {
 public:
  Gate() = default;
  Gate(const Gate&) = delete;
  Gate& operator=(const Gate&) = delete;
  // REQUIRES: closed and drained, or never entered.
  ~Gate() = default;

  // Returns false once Close() has been called.
  [[nodiscard]] bool TryEnter();
  void Leave();

  // Stops new entries; `on_closed` runs when the last holder leaves.
  // Calling Close twice is a no-op for the second call.
  void Close(std::function<void()> on_closed);

  bool closed() const { return (state_.load(std::memory_order_acquire) & kClosedBit) != 0; }
  uint64_t holders() const { return state_.load(std::memory_order_acquire) & ~kClosedBit; }

  // RAII entry. Check held() before using the guarded object.
  class Holder {
   public:
    explicit Holder(Gate& gate) : gate_(gate.TryEnter() ? &gate : nullptr) {}
    ~Holder() {
      if (gate_) gate_->Leave();
    }
    Holder(const Holder&) = delete;
    Holder& operator=(const Holder&) = delete;
    bool held() const { return gate_ != nullptr; }

   private:
    Gate* gate_;
  };

 private:
  static constexpr uint64_t kClosedBit = 1ull << 63;
  void Finish();

  std::atomic<uint64_t> state_{0};  // holder count | kClosedBit
  std::mutex mu_;
  std::function<void()> on_closed_;  // GUARDED_BY(mu_); set once by Close
  bool close_called_ = false;        // GUARDED_BY(mu_)
  bool finished_ = false;            // GUARDED_BY(mu_)
};

}  // namespace roost::exec
