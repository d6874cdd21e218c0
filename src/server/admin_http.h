// The admin HTTP endpoint: Prometheus metrics and a health check.
//
// AdminHttpFactory plugs into a net::Listener like any protocol (protocol
// name "http"). Each connection gets an HttpFramer and an AdminHandler that
// answers exactly one request and then closes (Connection: close), over
// HTTP/1.0 or 1.1:
//
//   GET /metrics  200, MetricsRegistry::Global() in text format 0.0.4
//   GET /health   200, "ok\n"
//   HEAD          the same without a body
//   other path    404;  other method 405;  bad request 400;  head > 8 KB 431
//
// The answer is built directly on the IO thread instead of on a strand: it
// is a lock-protected render of a few hundred metrics plus one readdir of
// /proc/self/fd, microseconds of work, and the admin port is for a scraper
// and operators, not for clients. Before rendering, the process gauges
// roost_uptime_seconds, roost_io_loops and roost_open_fds are refreshed;
// integration tests watch roost_open_fds to catch descriptor leaks.
//
// Thread affinity: the factory is thread-safe (shared by all IO threads);
// handlers are IO thread only.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "base/metrics.h"
#include "net/protocol.h"

namespace roost::server {

class AdminHttpFactory final : public net::HandlerFactory,
                               public std::enable_shared_from_this<AdminHttpFactory> {
 public:
  // `io_loops` is published as roost_io_loops; uptime counts from now.
  AdminHttpFactory(unsigned io_loops, MetricsRegistry& registry = MetricsRegistry::Global());

  std::string_view protocol() const override { return "http"; }
  std::unique_ptr<net::Framer> NewFramer() override;
  std::shared_ptr<net::ConnectionHandler> NewHandler(net::ConnectionHandle handle, const net::PeerInfo& peer) override;

  // The whole HTTP response (status line, headers, body) to one request
  // head as cut by HttpFramer. Refreshes the process gauges for /metrics.
  std::string Respond(std::string_view head);

 private:
  void RefreshGauges();

  MetricsRegistry& registry_;
  std::chrono::steady_clock::time_point start_;
  Gauge& uptime_;
  Gauge& io_loops_;
  Gauge& open_fds_;
};

// Descriptors open in this process (entries of /proc/self/fd, not counting
// the one used to read it); -1 if /proc is unavailable.
int64_t CountOpenFds();

// "HTTP/1.1 404 Not Found" plus headers and `body`; `head_only` omits the
// body but keeps its Content-Length (RFC 9110 §9.3.2).
std::string HttpResponse(int status, std::string_view content_type, std::string_view body, bool head_only);

}  // namespace roost::server
