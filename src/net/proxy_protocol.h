// PROXY protocol v1 (text) and v2 (binary) header parser, sans-IO.
//
// Behind a load balancer or nginx, the first bytes of a connection tell the
// real client address. The header is accepted only from configured trusted
// networks (the Listener checks that before parsing); anyone else could
// forge their address. v1 lines are at most 107 bytes, v2 headers at most
// 16 + 65535; both are parsed with hard bounds and no allocation beyond
// the result.
//
// Thread affinity: pure functions.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

#include "base/status.h"
#include "net/io_loop.h"

namespace roost::net {

struct ProxyHeader {
  // Bytes of input the header occupied; the protocol starts after them.
  size_t length = 0;
  // False for v1 "UNKNOWN" and v2 LOCAL (health checks): keep the socket's
  // own addresses.
  bool has_addresses = false;
  SocketAddress source;
  SocketAddress destination;
};

struct ProxyParse {
  enum class Kind { kNeedMore, kDone, kError };
  Kind kind = Kind::kNeedMore;
  ProxyHeader header;  // kDone
  Status error;        // kError
};

// Parses a header at the start of `input` (v1 or v2, detected by
// signature).
ProxyParse ParseProxyHeader(std::string_view input);

}  // namespace roost::net
