// Histogram: a fixed-size log-linear latency histogram for roost-bench.
//
// Values are nanoseconds. Each power-of-two range is split into 64 linear
// sub-buckets, so a reported percentile is within ~1.6% of the true sample
// while the whole histogram stays a flat 4 KiB array (no per-sample memory:
// a run of 50M commands must not grow the client). Each worker thread owns
// one and the main thread merges them after the workers have joined.
//
// Thread affinity: not thread-safe; one owner at a time.
#pragma once

#include <array>
#include <cstdint>

namespace roost::bench {

class Histogram {
 public:
  void Record(uint64_t ns);
  void Merge(const Histogram& other);

  uint64_t count() const { return count_; }
  uint64_t max() const { return max_; }
  uint64_t min() const { return count_ == 0 ? 0 : min_; }
  double Mean() const { return count_ == 0 ? 0.0 : static_cast<double>(sum_) / count_; }
  // The value at quantile q in [0, 1] (upper edge of its bucket, clamped to
  // max), 0 when empty.
  uint64_t Quantile(double q) const;

 private:
  static constexpr int kSubBits = 6;
  static constexpr int kSub = 1 << kSubBits;
  // Values below kSub are exact; each further power of two gets kSub buckets.
  static constexpr int kBuckets = kSub * (64 - kSubBits + 1);

  static int BucketOf(uint64_t v);
  static uint64_t UpperEdge(int bucket);

  std::array<uint64_t, kBuckets> buckets_{};
  uint64_t count_ = 0;
  uint64_t sum_ = 0;
  uint64_t min_ = UINT64_MAX;
  uint64_t max_ = 0;
};

}  // namespace roost::bench
