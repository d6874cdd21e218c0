#include "net/listener.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <charconv>
#include <cstring>
#include <utility>

#include <fmt/format.h>

#include "base/log.h"
#include "net/connection_metrics.h"

namespace roost::net {

namespace {

struct ParsedEndpoint {
  SocketAddress address;
  bool dual_stack = false;  // "*": [::] accepting IPv4 too
};

Result<uint16_t> ParsePort(std::string_view text) {
  unsigned port = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), port);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || port > 65535) {
    return Status::InvalidArgument(fmt::format("bad port '{}'", text));
  }
  return static_cast<uint16_t>(port);
}

// "127.0.0.1:143", "[::1]:993", "*:143".
Result<ParsedEndpoint> ParseEndpoint(std::string_view text) {
  std::string_view host;
  std::string_view port;
  if (!text.empty() && text.front() == '[') {
    size_t close = text.find(']');
    if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':') {
      return Status::InvalidArgument(fmt::format("bad listen address '{}'", text));
    }
    host = text.substr(1, close - 1);
    port = text.substr(close + 2);
  } else {
    size_t colon = text.rfind(':');
    if (colon == std::string_view::npos) {
      return Status::InvalidArgument(fmt::format("listen address '{}' has no port", text));
    }
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
  }
  ROOST_ASSIGN_OR_RETURN(uint16_t port_number, ParsePort(port));
  ParsedEndpoint out;
  std::string host_str(host);
  if (host == "*" || host == "::") {
    out.dual_stack = host == "*";
    host_str = "::";
  }
  auto* in4 = reinterpret_cast<sockaddr_in*>(&out.address.storage);
  auto* in6 = reinterpret_cast<sockaddr_in6*>(&out.address.storage);
  if (inet_pton(AF_INET, host_str.c_str(), &in4->sin_addr) == 1) {
    in4->sin_family = AF_INET;
    in4->sin_port = htons(port_number);
    out.address.len = sizeof(sockaddr_in);
  } else if (inet_pton(AF_INET6, host_str.c_str(), &in6->sin6_addr) == 1) {
    in6->sin6_family = AF_INET6;
    in6->sin6_port = htons(port_number);
    out.address.len = sizeof(sockaddr_in6);
  } else {
    return Status::InvalidArgument(fmt::format("bad listen host '{}' (numeric address or *)", host));
  }
  return out;
}

Status SetOption(int fd, int level, int name, int value, const char* what) {
  if (setsockopt(fd, level, name, &value, sizeof(value)) != 0) return Status::FromErrno(errno, what);
  return Status::Ok();
}

Status ConfigureAndBind(int fd, const ParsedEndpoint& endpoint, int backlog) {
  ROOST_RETURN_IF_ERROR(SetOption(fd, SOL_SOCKET, SO_REUSEADDR, 1, "setsockopt(SO_REUSEADDR)"));
  // One socket per IO thread on the same port; the kernel balances accepts.
  ROOST_RETURN_IF_ERROR(SetOption(fd, SOL_SOCKET, SO_REUSEPORT, 1, "setsockopt(SO_REUSEPORT)"));
  if (endpoint.address.storage.ss_family == AF_INET6) {
    ROOST_RETURN_IF_ERROR(
        SetOption(fd, IPPROTO_IPV6, IPV6_V6ONLY, endpoint.dual_stack ? 0 : 1, "setsockopt(IPV6_V6ONLY)"));
  }
  const auto* sa = reinterpret_cast<const sockaddr*>(&endpoint.address.storage);
  if (bind(fd, sa, endpoint.address.len) != 0) {
    return Status::FromErrno(errno, fmt::format("bind({})", endpoint.address.ToString()));
  }
  if (listen(fd, backlog) != 0) return Status::FromErrno(errno, "listen");
  return Status::Ok();
}

}  // namespace

Result<int> BindListenSocket(std::string_view address, int backlog) {
  ROOST_ASSIGN_OR_RETURN(ParsedEndpoint endpoint, ParseEndpoint(address));
  int fd = socket(endpoint.address.storage.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return Status::FromErrno(errno, "socket");
  Status status = ConfigureAndBind(fd, endpoint, backlog);
  if (!status.ok()) {
    ::close(fd);
    return status;
  }
  return fd;
}

Result<SocketAddress> BoundAddress(int fd) {
  SocketAddress address;
  address.len = sizeof(address.storage);
  if (getsockname(fd, reinterpret_cast<sockaddr*>(&address.storage), &address.len) != 0) {
    return Status::FromErrno(errno, "getsockname");
  }
  return address;
}

Listener::Listener(ConnectionManager& manager, int listen_fd, ListenerOptions options,
                   std::shared_ptr<HandlerFactory> factory)
    : manager_(manager), fd_(listen_fd), options_(std::move(options)), factory_(std::move(factory)) {
  options_.connection.expect_proxy_header = options_.proxy_protocol;
  // Registers the protocol's series so /metrics shows them before the
  // first connection arrives.
  ConnectionMetricsFor(factory_->protocol());
}

Listener::~Listener() {
  // REQUIRES: Stop() finished, or the loop no longer runs.
  if (fd_ >= 0) ::close(fd_);
}

Status Listener::Start() {
  return manager_.loop().AddListener(fd_, [this](int fd, const SocketAddress& peer) { OnAccept(fd, peer); });
}

void Listener::Stop(std::function<void()> done) {
  manager_.loop().RemoveListener(fd_, [this, done = std::move(done)] {
    ::close(fd_);
    fd_ = -1;
    if (done) done();
  });
}

void Listener::OnAccept(int fd, const SocketAddress& peer) {
  std::string_view protocol = factory_->protocol();
  bool proxied = options_.proxy_protocol;
  if (proxied && !AnyContains(options_.trusted_proxies, peer)) {
    // Anyone else could forge their address with a PROXY header.
    ROOST_LOG_INFO("listener={} PROXY header expected from untrusted {}, closing", options_.name,
                   peer.ToString());
    RejectedCounter(protocol, "untrusted_proxy").Add();
    ::close(fd);
    return;
  }
  // The per-IP limit applies to direct clients. Behind a PROXY sender the
  // accepted peer is the proxy itself, which must not be limited per IP.
  std::function<void()> on_closed;
  if (options_.limiter && !proxied) {
    if (!options_.limiter->TryAcquire(peer)) {
      // TODO(issue): send the protocol's "[LIMIT]" reply before closing.
      ROOST_LOG_INFO("listener={} too many connections from {}, closing", options_.name, peer.ToString());
      RejectedCounter(protocol, "per_ip_limit").Add();
      ::close(fd);
      return;
    }
    on_closed = [limiter = options_.limiter, peer] { limiter->Release(peer); };
  }
  PeerInfo info;
  info.remote = peer;
  info.listener = options_.name;
  info.implicit_tls = options_.connection.implicit_tls;
  Result<SocketAddress> local = BoundAddress(fd);
  if (local.has_value()) info.local = *local;
  manager_.Adopt(fd, info, options_.connection, factory_, std::move(on_closed));
}

}  // namespace roost::net
