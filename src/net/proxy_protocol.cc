// PROXY protocol parser (haproxy's proxy-protocol.txt, versions 1 and 2).
//
// Stateless: the caller passes everything received so far and calls again
// when more arrives. A prefix of a header is kNeedMore only while it can
// still become a valid header, so garbage is rejected early instead of
// waiting for a timeout; and any answer other than kNeedMore for a prefix
// is the same answer the full input gets (the fuzz target checks this).
#include "net/proxy_protocol.h"

#include <arpa/inet.h>
#include <fmt/format.h>
#include <netinet/in.h>

#include <cstdint>
#include <cstring>
#include <string>

namespace roost::net {
namespace {

using Kind = ProxyParse::Kind;

// Section 2.1: the longest v1 line, "PROXY TCP6 " + two full IPv6
// addresses + two ports + CRLF.
constexpr size_t kV1MaxLength = 107;
constexpr std::string_view kV1Prefix = "PROXY ";
// Section 2.2: the v2 signature, then version/command, family/protocol
// and a big-endian length of what follows.
constexpr std::string_view kV2Signature{"\r\n\r\n\0\r\nQUIT\n", 12};
constexpr size_t kV2HeaderLength = 16;
// Section 2.2 allows 65535 bytes of addresses and TLVs; real senders use
// a few hundred (TLVs for ALPN, SNI, client cert names). Refusing more
// bounds what a connection buffers before it even has a protocol.
constexpr size_t kV2MaxPayload = 4096;

ProxyParse Error(std::string_view message) {
  ProxyParse parse;
  parse.kind = Kind::kError;
  parse.error = Status::InvalidArgument(message);
  return parse;
}

ProxyParse NeedMore() { return ProxyParse{}; }

ProxyParse Done(ProxyHeader header) {
  ProxyParse parse;
  parse.kind = Kind::kDone;
  parse.header = header;
  return parse;
}

// True if `input` and `expected` agree on their common prefix.
bool PrefixMatches(std::string_view input, std::string_view expected) {
  size_t n = std::min(input.size(), expected.size());
  return input.substr(0, n) == expected.substr(0, n);
}

void SetV4(SocketAddress& address, const void* addr4, const void* port_be) {
  auto* in = reinterpret_cast<sockaddr_in*>(&address.storage);
  in->sin_family = AF_INET;
  std::memcpy(&in->sin_addr, addr4, 4);
  std::memcpy(&in->sin_port, port_be, 2);
  address.len = sizeof(sockaddr_in);
}

void SetV6(SocketAddress& address, const void* addr16, const void* port_be) {
  auto* in6 = reinterpret_cast<sockaddr_in6*>(&address.storage);
  in6->sin6_family = AF_INET6;
  std::memcpy(&in6->sin6_addr, addr16, 16);
  std::memcpy(&in6->sin6_port, port_be, 2);
  address.len = sizeof(sockaddr_in6);
}

// ---- version 1 -------------------------------------------------------

// Splits off the text up to the next space (or the end).
std::string_view NextField(std::string_view& rest) {
  size_t space = rest.find(' ');
  std::string_view field = rest.substr(0, space);
  rest = space == std::string_view::npos ? std::string_view() : rest.substr(space + 1);
  return field;
}

// Section 2.1: a decimal port in 0..65535.
bool ParsePort(std::string_view text, uint16_t& port_be) {
  if (text.empty() || text.size() > 5) return false;
  uint32_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    value = value * 10 + static_cast<uint32_t>(c - '0');
  }
  if (value > 65535) return false;
  port_be = htons(static_cast<uint16_t>(value));
  return true;
}

bool ParseV1Address(std::string_view text, bool v6, uint16_t port_be, SocketAddress& address) {
  // Long enough for any valid address; anything longer is invalid anyway.
  if (text.empty() || text.size() >= INET6_ADDRSTRLEN) return false;
  char buf[INET6_ADDRSTRLEN] = {};
  std::memcpy(buf, text.data(), text.size());
  unsigned char bytes[16];
  if (inet_pton(v6 ? AF_INET6 : AF_INET, buf, bytes) != 1) return false;
  if (v6) {
    SetV6(address, bytes, &port_be);
  } else {
    SetV4(address, bytes, &port_be);
  }
  return true;
}

// The line without its CRLF.
ProxyParse ParseV1Line(std::string_view line, size_t length) {
  std::string_view rest = line.substr(kV1Prefix.size());
  std::string_view proto = NextField(rest);
  ProxyHeader header;
  header.length = length;
  // "UNKNOWN" may be followed by anything; the receiver ignores it.
  if (proto == "UNKNOWN") return Done(header);
  if (proto != "TCP4" && proto != "TCP6") return Error(fmt::format("PROXY v1: bad protocol '{}'", proto));
  bool v6 = proto == "TCP6";
  std::string_view src = NextField(rest);
  std::string_view dst = NextField(rest);
  std::string_view sport = NextField(rest);
  std::string_view dport = rest;
  uint16_t sport_be = 0;
  uint16_t dport_be = 0;
  if (!ParsePort(sport, sport_be) || !ParsePort(dport, dport_be)) {
    return Error("PROXY v1: bad port");
  }
  if (!ParseV1Address(src, v6, sport_be, header.source) ||
      !ParseV1Address(dst, v6, dport_be, header.destination)) {
    return Error(fmt::format("PROXY v1: bad {} address", proto));
  }
  header.has_addresses = true;
  return Done(header);
}

ProxyParse ParseV1(std::string_view input) {
  if (!PrefixMatches(input, kV1Prefix)) return Error("PROXY v1: bad signature");
  size_t limit = std::min(input.size(), kV1MaxLength);
  for (size_t i = 0; i < limit; ++i) {
    auto c = static_cast<unsigned char>(input[i]);
    if (c == '\r') {
      if (i + 2 > kV1MaxLength) break;   // the CRLF would not fit
      if (i + 1 == input.size()) break;  // the LF has not arrived yet
      if (input[i + 1] != '\n') return Error("PROXY v1: CR without LF");
      return ParseV1Line(input.substr(0, i), i + 2);
    }
    if (c < 0x20 || c > 0x7e) return Error("PROXY v1: control or non-ASCII byte in header");
  }
  if (input.size() >= kV1MaxLength) return Error("PROXY v1: line longer than 107 bytes");
  // The protocol name must still be able to become one of the three.
  std::string_view proto = input.substr(std::min(input.size(), kV1Prefix.size()));
  proto = proto.substr(0, proto.find(' '));
  if (!PrefixMatches(proto, "TCP4") && !PrefixMatches(proto, "TCP6") && !PrefixMatches(proto, "UNKNOWN")) {
    return Error(fmt::format("PROXY v1: bad protocol '{}'", proto));
  }
  return NeedMore();
}

// ---- version 2 -------------------------------------------------------

// Checks the fixed 16 bytes as far as they have arrived.
Status CheckV2Fixed(std::string_view input) {
  if (!PrefixMatches(input, kV2Signature)) return Status::InvalidArgument("PROXY v2: bad signature");
  if (input.size() > 12) {
    auto ver_cmd = static_cast<uint8_t>(input[12]);
    if ((ver_cmd >> 4) != 2) return Status::InvalidArgument("PROXY v2: version is not 2");
    if ((ver_cmd & 0x0f) > 1) return Status::InvalidArgument("PROXY v2: unknown command");
  }
  if (input.size() > 13) {
    auto fam = static_cast<uint8_t>(input[13]);
    // Section 2.2: families 0..3 and transports 0..2 are defined; other
    // values are unsupported.
    if ((fam >> 4) > 3 || (fam & 0x0f) > 2) {
      return Status::InvalidArgument(fmt::format("PROXY v2: unsupported family 0x{:02x}", fam));
    }
  }
  if (input.size() >= kV2HeaderLength) {
    size_t payload = (static_cast<uint8_t>(input[14]) << 8) | static_cast<uint8_t>(input[15]);
    if (payload > kV2MaxPayload) {
      return Status::InvalidArgument(fmt::format("PROXY v2: length {} too big", payload));
    }
  }
  return Status::Ok();
}

ProxyParse ParseV2(std::string_view input) {
  if (Status status = CheckV2Fixed(input); !status.ok()) {
    ProxyParse parse;
    parse.kind = Kind::kError;
    parse.error = std::move(status);
    return parse;
  }
  if (input.size() < kV2HeaderLength) return NeedMore();
  size_t payload = (static_cast<uint8_t>(input[14]) << 8) | static_cast<uint8_t>(input[15]);
  auto fam = static_cast<uint8_t>(input[13]);
  bool local = (static_cast<uint8_t>(input[12]) & 0x0f) == 0;
  // Address blocks are fixed-size; ask for them before the TLVs arrive so
  // a short length is rejected as soon as it is known.
  size_t need = local ? 0 : (fam == 0x11 ? 12 : fam == 0x21 ? 36 : 0);
  if (payload < need) return Error(fmt::format("PROXY v2: length {} too short for its addresses", payload));
  if (input.size() < kV2HeaderLength + payload) return NeedMore();

  ProxyHeader header;
  header.length = kV2HeaderLength + payload;
  // LOCAL (health checks) and valid families we do not carry (UNSPEC,
  // UNIX, UDP) keep the socket's own addresses, as section 2.2 requires
  // of receivers that do not implement them.
  if (need == 0) return Done(header);
  const char* a = input.data() + kV2HeaderLength;
  if (fam == 0x11) {
    SetV4(header.source, a, a + 8);
    SetV4(header.destination, a + 4, a + 10);
  } else {
    SetV6(header.source, a, a + 32);
    SetV6(header.destination, a + 16, a + 34);
  }
  header.has_addresses = true;
  // TLVs (section 2.2.7) follow; nothing we need is in them.
  return Done(header);
}

}  // namespace

ProxyParse ParseProxyHeader(std::string_view input) {
  if (input.empty()) return NeedMore();
  if (input[0] == 'P') return ParseV1(input);
  if (input[0] == '\r') return ParseV2(input);
  return Error("no PROXY protocol header");
}

}  // namespace roost::net
