#include <arpa/inet.h>
#include <netinet/in.h>

#include <fmt/format.h>

#include "net/io_loop.h"

namespace roost::net {

std::string_view IoBackendName(IoBackend backend) {
  switch (backend) {
    case IoBackend::kAuto: return "auto";
    case IoBackend::kUring: return "uring";
    case IoBackend::kEpoll: return "epoll";
  }
  return "unknown";
}

Result<IoBackend> ParseIoBackend(std::string_view name) {
  if (name == "auto") return IoBackend::kAuto;
  if (name == "uring" || name == "io_uring") return IoBackend::kUring;
  if (name == "epoll") return IoBackend::kEpoll;
  return Status::InvalidArgument(fmt::format("unknown io backend '{}' (auto, uring, epoll)", name));
}

std::string SocketAddress::Host() const {
  char buf[INET6_ADDRSTRLEN] = {};
  if (storage.ss_family == AF_INET) {
    const auto* in = reinterpret_cast<const sockaddr_in*>(&storage);
    inet_ntop(AF_INET, &in->sin_addr, buf, sizeof(buf));
  } else if (storage.ss_family == AF_INET6) {
    const auto* in6 = reinterpret_cast<const sockaddr_in6*>(&storage);
    inet_ntop(AF_INET6, &in6->sin6_addr, buf, sizeof(buf));
  } else if (storage.ss_family == AF_UNIX) {
    return "unix";
  }
  return buf;
}

uint16_t SocketAddress::Port() const {
  if (storage.ss_family == AF_INET) return ntohs(reinterpret_cast<const sockaddr_in*>(&storage)->sin_port);
  if (storage.ss_family == AF_INET6) return ntohs(reinterpret_cast<const sockaddr_in6*>(&storage)->sin6_port);
  return 0;
}

std::string SocketAddress::ToString() const {
  if (storage.ss_family == AF_INET6) return fmt::format("[{}]:{}", Host(), Port());
  if (storage.ss_family == AF_INET) return fmt::format("{}:{}", Host(), Port());
  return Host();
}

}  // namespace roost::net
