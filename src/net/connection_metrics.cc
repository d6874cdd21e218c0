#include "net/connection_metrics.h"

#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace roost::net {

const ConnectionMetrics& ConnectionMetricsFor(std::string_view protocol) {
  // Cached per protocol so an accept costs one small map lookup, not four
  // registry lookups that render label strings.
  static std::mutex mu;
  static std::map<std::string, std::unique_ptr<ConnectionMetrics>, std::less<>> cache;
  std::lock_guard lock(mu);
  auto it = cache.find(protocol);
  if (it != cache.end()) return *it->second;
  MetricsRegistry& r = MetricsRegistry::Global();
  Labels labels = {{"protocol", std::string(protocol)}};
  auto metrics = std::unique_ptr<ConnectionMetrics>(new ConnectionMetrics{
      r.GetGauge("roost_connections", "Open client connections.", labels),
      r.GetCounter("roost_connections_total", "Client connections accepted.", labels),
      r.GetCounter("roost_bytes_received_total", "Bytes received from clients (on the wire).", labels),
      r.GetCounter("roost_bytes_sent_total", "Bytes sent to clients (on the wire).", labels),
  });
  const ConnectionMetrics& ref = *metrics;
  cache.emplace(std::string(protocol), std::move(metrics));
  return ref;
}

Counter& RejectedCounter(std::string_view protocol, std::string_view reason) {
  return MetricsRegistry::Global().GetCounter(
      "roost_connections_rejected_total", "Client connections refused or dropped before the greeting.",
      {{"protocol", std::string(protocol)}, {"reason", std::string(reason)}});
}

}  // namespace roost::net
