#include "base/metrics.h"

#include <cmath>

#include <fmt/format.h>

namespace roost {
namespace {

// Label values escape backslash, quote and newline (exposition format 0.0.4).
std::string RenderLabels(const Labels& labels) {
  if (labels.empty()) return "";
  std::string out = "{";
  for (size_t i = 0; i < labels.size(); ++i) {
    if (i) out += ',';
    out += labels[i].first;
    out += "=\"";
    for (char c : labels[i].second) {
      if (c == '\\' || c == '"') out += '\\';
      if (c == '\n') {
        out += "\\n";
        continue;
      }
      out += c;
    }
    out += '"';
  }
  out += '}';
  return out;
}

// Merges an extra label into an already rendered label string.
std::string WithLabel(const std::string& rendered, std::string_view extra) {
  if (rendered.empty()) return fmt::format("{{{}}}", extra);
  return fmt::format("{},{}}}", rendered.substr(0, rendered.size() - 1), extra);
}

}  // namespace

void Histogram::Observe(double seconds) {
  size_t i = 0;
  while (i < kBounds.size() && seconds > kBounds[i]) ++i;
  buckets_[i].fetch_add(1, std::memory_order_relaxed);
  count_.fetch_add(1, std::memory_order_relaxed);
  sum_ns_.fetch_add(static_cast<uint64_t>(std::llround(seconds * 1e9)), std::memory_order_relaxed);
}

uint64_t Histogram::BucketCount(size_t i) const {
  uint64_t total = 0;
  for (size_t b = 0; b <= i && b < buckets_.size(); ++b) total += buckets_[b].load(std::memory_order_relaxed);
  return total;
}

double Histogram::Sum() const { return static_cast<double>(sum_ns_.load(std::memory_order_relaxed)) / 1e9; }

size_t MetricsRegistry::Find(std::string_view name, std::string_view help, const Labels& labels, Kind kind) {
  std::lock_guard lock(mu_);
  auto it = families_.find(name);
  if (it == families_.end()) {
    it = families_.emplace(std::string(name), Family{kind, std::string(help), {}}).first;
  }
  Family& family = it->second;
  std::string key = RenderLabels(labels);
  auto series = family.series.find(key);
  if (series != family.series.end()) return series->second;
  size_t index = 0;
  switch (kind) {
    case Kind::kCounter: index = counters_.size(); counters_.emplace_back(); break;
    case Kind::kGauge: index = gauges_.size(); gauges_.emplace_back(); break;
    case Kind::kHistogram: index = histograms_.size(); histograms_.emplace_back(); break;
  }
  family.series.emplace(std::move(key), index);
  return index;
}

Counter& MetricsRegistry::GetCounter(std::string_view name, std::string_view help, const Labels& labels) {
  size_t i = Find(name, help, labels, Kind::kCounter);
  std::lock_guard lock(mu_);
  return counters_[i];
}

Gauge& MetricsRegistry::GetGauge(std::string_view name, std::string_view help, const Labels& labels) {
  size_t i = Find(name, help, labels, Kind::kGauge);
  std::lock_guard lock(mu_);
  return gauges_[i];
}

Histogram& MetricsRegistry::GetHistogram(std::string_view name, std::string_view help, const Labels& labels) {
  size_t i = Find(name, help, labels, Kind::kHistogram);
  std::lock_guard lock(mu_);
  return histograms_[i];
}

std::string MetricsRegistry::RenderPrometheus() const {
  std::lock_guard lock(mu_);
  std::string out;
  for (const auto& [name, family] : families_) {
    const char* type = family.kind == Kind::kCounter ? "counter"
                       : family.kind == Kind::kGauge ? "gauge"
                                                     : "histogram";
    fmt::format_to(std::back_inserter(out), "# HELP {} {}\n# TYPE {} {}\n", name, family.help, name, type);
    for (const auto& [labels, index] : family.series) {
      switch (family.kind) {
        case Kind::kCounter:
          fmt::format_to(std::back_inserter(out), "{}{} {}\n", name, labels, counters_[index].Value());
          break;
        case Kind::kGauge:
          fmt::format_to(std::back_inserter(out), "{}{} {}\n", name, labels, gauges_[index].Value());
          break;
        case Kind::kHistogram: {
          const Histogram& h = histograms_[index];
          for (size_t b = 0; b < Histogram::kBounds.size(); ++b) {
            fmt::format_to(std::back_inserter(out), "{}_bucket{} {}\n", name,
                           WithLabel(labels, fmt::format("le=\"{}\"", Histogram::kBounds[b])), h.BucketCount(b));
          }
          fmt::format_to(std::back_inserter(out), "{}_bucket{} {}\n", name, WithLabel(labels, "le=\"+Inf\""),
                         h.Count());
          fmt::format_to(std::back_inserter(out), "{}_sum{} {}\n{}_count{} {}\n", name, labels, h.Sum(), name,
                         labels, h.Count());
          break;
        }
      }
    }
  }
  return out;
}

MetricsRegistry& MetricsRegistry::Global() {
  static MetricsRegistry registry;
  return registry;
}

}  // namespace roost
