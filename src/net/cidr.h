// Cidr: an IPv4 or IPv6 network ("10.0.0.0/8", "::1/128", "127.0.0.1").
// Used for trusted PROXY senders, login-penalty exemptions and per-network
// connection limits. IPv4-mapped IPv6 addresses match IPv4 networks.
//
// Thread affinity: immutable value type.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "net/io_loop.h"

namespace roost::net {

class Cidr {
 public:
  static Result<Cidr> Parse(std::string_view text);
  bool Contains(const SocketAddress& address) const;
  std::string ToString() const;

 private:
  std::array<uint8_t, 16> bytes_{};  // IPv4 stored as IPv4-mapped IPv6
  unsigned prefix_ = 0;              // in the 128-bit space
};

// True if any network contains the address.
bool AnyContains(const std::vector<Cidr>& networks, const SocketAddress& address);

}  // namespace roost::net
