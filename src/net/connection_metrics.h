// Per-protocol connection metrics, looked up once per protocol name and
// kept for the life of the process (references into the global registry).
//
//   roost_connections{protocol}                    gauge, open connections
//   roost_connections_total{protocol}              counter, accepted and adopted
//   roost_bytes_received_total{protocol}           counter, wire bytes (ciphertext under TLS)
//   roost_bytes_sent_total{protocol}               counter, wire bytes (ciphertext under TLS)
//   roost_connections_rejected_total{protocol,reason}  counter
//
// Wire bytes are counted, not plaintext, because that is what the operator
// pays for in bandwidth and what matches interface counters.
//
// Thread affinity: thread-safe.
#pragma once

#include <string_view>

#include "base/metrics.h"

namespace roost::net {

struct ConnectionMetrics {
  Gauge& open;
  Counter& total;
  Counter& bytes_received;
  Counter& bytes_sent;
};

// Stable reference; the first call for a protocol registers the series.
const ConnectionMetrics& ConnectionMetricsFor(std::string_view protocol);

// Rejection reasons used by net/: "per_ip_limit", "untrusted_proxy",
// "bad_proxy_header", "handshake_timeout", "tls_handshake".
Counter& RejectedCounter(std::string_view protocol, std::string_view reason);

}  // namespace roost::net
