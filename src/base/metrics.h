// Metrics: process-wide counters, gauges and histograms, rendered in the
// Prometheus text exposition format for the admin listener's /metrics.
//
// Metrics are created once (registration takes a lock) and then updated
// lock-free with relaxed atomics from any thread. References returned by the
// registry stay valid for the registry's lifetime, so hot paths look a
// metric up once and keep the reference.
//
// Thread affinity: thread-safe.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace roost {

class Counter {
 public:
  void Add(uint64_t n = 1) { v_.fetch_add(n, std::memory_order_relaxed); }
  uint64_t Value() const { return v_.load(std::memory_order_relaxed); }

 private:
  std::atomic<uint64_t> v_{0};
};

class Gauge {
 public:
  void Add(int64_t n) { v_.fetch_add(n, std::memory_order_relaxed); }
  void Set(int64_t n) { v_.store(n, std::memory_order_relaxed); }
  int64_t Value() const { return v_.load(std::memory_order_relaxed); }

 private:
  std::atomic<int64_t> v_{0};
};

// Fixed buckets in seconds, from 50 µs to 10 s: IMAP command latency spans
// that range, from NOOP to a SEARCH over a million messages.
class Histogram {
 public:
  static constexpr std::array<double, 16> kBounds = {
      0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01,
      0.025,   0.05,   0.1,     0.25,   0.5,   1.0,    2.5,   10.0};
  void Observe(double seconds);
  uint64_t Count() const { return count_.load(std::memory_order_relaxed); }
  // Cumulative count for bucket i (≤ kBounds[i]); i == size() is +Inf.
  uint64_t BucketCount(size_t i) const;
  double Sum() const;

 private:
  std::array<std::atomic<uint64_t>, kBounds.size() + 1> buckets_{};
  std::atomic<uint64_t> count_{0};
  std::atomic<uint64_t> sum_ns_{0};
};

// Labels as {"protocol", "imap"} pairs, rendered in the given order.
using Labels = std::vector<std::pair<std::string, std::string>>;

class MetricsRegistry {
 public:
  MetricsRegistry() = default;
  MetricsRegistry(const MetricsRegistry&) = delete;
  MetricsRegistry& operator=(const MetricsRegistry&) = delete;

  // Returns the metric named `name` with `labels`, creating it on first use.
  // `help` is kept from the first registration of a name.
  Counter& GetCounter(std::string_view name, std::string_view help, const Labels& labels = {});
  Gauge& GetGauge(std::string_view name, std::string_view help, const Labels& labels = {});
  Histogram& GetHistogram(std::string_view name, std::string_view help, const Labels& labels = {});

  // The whole registry in Prometheus text format 0.0.4.
  std::string RenderPrometheus() const;

  // The process-wide registry used by roostd.
  static MetricsRegistry& Global();

 private:
  enum class Kind { kCounter, kGauge, kHistogram };
  struct Family {
    Kind kind;
    std::string help;
    // Rendered label string ("{a=\"b\"}") -> index into the deques below.
    std::map<std::string, size_t> series;
  };
  size_t Find(std::string_view name, std::string_view help, const Labels& labels, Kind kind);

  mutable std::mutex mu_;
  std::map<std::string, Family, std::less<>> families_;  // GUARDED_BY(mu_)
  std::deque<Counter> counters_;                         // stable addresses
  std::deque<Gauge> gauges_;
  std::deque<Histogram> histograms_;
};

}  // namespace roost
