// Cidr: networks kept in the 128-bit IPv6 space. An IPv4 network a.b.c.d/n
// is stored as ::ffff:a.b.c.d/(96+n) (RFC 4291 section 2.5.5.2), so a peer
// that a dual-stack socket reports as ::ffff:127.0.0.1 matches 127.0.0.0/8
// without special cases. Host bits after the prefix are cleared on parse
// ("10.1.2.3/8" is 10.0.0.0/8), as most configuration tools do.
#include "net/cidr.h"

#include <arpa/inet.h>
#include <fmt/format.h>
#include <netinet/in.h>

#include <cstring>
#include <string>

namespace roost::net {
namespace {

constexpr std::array<uint8_t, 12> kV4MappedPrefix = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
constexpr unsigned kV4MappedBits = 96;

bool IsV4Mapped(const std::array<uint8_t, 16>& bytes) {
  return std::memcmp(bytes.data(), kV4MappedPrefix.data(), kV4MappedPrefix.size()) == 0;
}

// Bytes of an AF_INET or AF_INET6 address in the 128-bit space.
bool ToBytes(const SocketAddress& address, std::array<uint8_t, 16>& bytes) {
  if (address.storage.ss_family == AF_INET) {
    const auto* in = reinterpret_cast<const sockaddr_in*>(&address.storage);
    std::memcpy(bytes.data(), kV4MappedPrefix.data(), kV4MappedPrefix.size());
    std::memcpy(bytes.data() + 12, &in->sin_addr, 4);
    return true;
  }
  if (address.storage.ss_family == AF_INET6) {
    const auto* in6 = reinterpret_cast<const sockaddr_in6*>(&address.storage);
    std::memcpy(bytes.data(), &in6->sin6_addr, 16);
    return true;
  }
  return false;
}

// Whether the first `prefix` bits of a and b agree.
bool SamePrefix(const std::array<uint8_t, 16>& a, const std::array<uint8_t, 16>& b, unsigned prefix) {
  unsigned full = prefix / 8;
  if (std::memcmp(a.data(), b.data(), full) != 0) return false;
  unsigned rest = prefix % 8;
  if (rest == 0) return true;
  auto mask = static_cast<uint8_t>(0xff << (8 - rest));
  return (a[full] & mask) == (b[full] & mask);
}

Result<unsigned> ParsePrefix(std::string_view text, unsigned max) {
  if (text.empty() || text.size() > 3) return Status::InvalidArgument("bad prefix length");
  unsigned value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return Status::InvalidArgument("bad prefix length");
    value = value * 10 + static_cast<unsigned>(c - '0');
  }
  if (value > max) return Status::InvalidArgument(fmt::format("prefix length {} > {}", value, max));
  return value;
}

}  // namespace

Result<Cidr> Cidr::Parse(std::string_view text) {
  size_t slash = text.find('/');
  std::string_view host = text.substr(0, slash);
  // inet_pton needs a terminated string; anything this long is invalid.
  if (host.empty() || host.size() >= INET6_ADDRSTRLEN) {
    return Status::InvalidArgument(fmt::format("bad network '{}'", text));
  }
  char buf[INET6_ADDRSTRLEN] = {};
  std::memcpy(buf, host.data(), host.size());
  Cidr cidr;
  unsigned max_prefix = 128;
  if (inet_pton(AF_INET, buf, cidr.bytes_.data() + 12) == 1) {
    std::memcpy(cidr.bytes_.data(), kV4MappedPrefix.data(), kV4MappedPrefix.size());
    max_prefix = 32;
  } else if (inet_pton(AF_INET6, buf, cidr.bytes_.data()) != 1) {
    return Status::InvalidArgument(fmt::format("bad network '{}': not an IP address", text));
  }
  unsigned prefix = max_prefix;
  if (slash != std::string_view::npos) {
    Result<unsigned> parsed = ParsePrefix(text.substr(slash + 1), max_prefix);
    if (!parsed) return parsed.error().WithContext(fmt::format("bad network '{}'", text));
    prefix = *parsed;
  }
  cidr.prefix_ = prefix + (128 - max_prefix);
  // Clear the host bits.
  for (unsigned bit = cidr.prefix_; bit < 128; ++bit) {
    cidr.bytes_[bit / 8] &= static_cast<uint8_t>(~(0x80u >> (bit % 8)));
  }
  return cidr;
}

bool Cidr::Contains(const SocketAddress& address) const {
  std::array<uint8_t, 16> bytes{};
  return ToBytes(address, bytes) && SamePrefix(bytes, bytes_, prefix_);
}

std::string Cidr::ToString() const {
  char buf[INET6_ADDRSTRLEN] = {};
  if (IsV4Mapped(bytes_) && prefix_ >= kV4MappedBits) {
    inet_ntop(AF_INET, bytes_.data() + 12, buf, sizeof(buf));
    return fmt::format("{}/{}", buf, prefix_ - kV4MappedBits);
  }
  inet_ntop(AF_INET6, bytes_.data(), buf, sizeof(buf));
  return fmt::format("{}/{}", buf, prefix_);
}

bool AnyContains(const std::vector<Cidr>& networks, const SocketAddress& address) {
  for (const Cidr& network : networks) {
    if (network.Contains(address)) return true;
  }
  return false;
}

}  // namespace roost::net
