// ParseProxyHeader: every v1/v2 form, byte-at-a-time feeding, malformed
// headers, and the header length when protocol bytes follow.
#include "net/proxy_protocol.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>

#include <string>
#include <vector>

namespace roost::net {
namespace {

using Kind = ProxyParse::Kind;

const std::string kSig("\r\n\r\n\0\r\nQUIT\n", 12);

std::string V2(uint8_t ver_cmd, uint8_t fam, const std::string& payload) {
  std::string h = kSig;
  h += static_cast<char>(ver_cmd);
  h += static_cast<char>(fam);
  h += static_cast<char>(payload.size() >> 8);
  h += static_cast<char>(payload.size() & 0xff);
  return h + payload;
}

std::string V2Inet(const std::string& tlvs = "") {
  // 192.0.2.1:56324 -> 198.51.100.7:993
  std::string p("\xc0\x00\x02\x01\xc6\x33\x64\x07\xdc\x04\x03\xe1", 12);
  return V2(0x21, 0x11, p + tlvs);
}

std::string V2Inet6() {
  std::string p(36, '\0');
  p[0] = '\x20';
  p[1] = '\x01';
  p[2] = '\x0d';
  p[3] = '\xb8';
  p[15] = '\x01';  // 2001:db8::1
  p[16] = '\x20';
  p[17] = '\x01';
  p[18] = '\x0d';
  p[19] = '\xb8';
  p[31] = '\x02';  // 2001:db8::2
  p[32] = '\x01';
  p[33] = '\xbb';  // 443
  p[34] = '\x00';
  p[35] = '\x8f';  // 143
  return V2(0x21, 0x21, p);
}

ProxyHeader ExpectDone(std::string_view input) {
  ProxyParse parse = ParseProxyHeader(input);
  EXPECT_EQ(parse.kind, Kind::kDone) << parse.error.ToString();
  return parse.header;
}

void ExpectError(std::string_view input) {
  ProxyParse parse = ParseProxyHeader(input);
  EXPECT_EQ(parse.kind, Kind::kError) << "input: " << testing::PrintToString(std::string(input));
  if (parse.kind == Kind::kError) {
    EXPECT_FALSE(parse.error.ok());
  }
}

// Every strict prefix needs more; the whole header parses to `length`.
void ExpectByteAtATime(const std::string& header) {
  for (size_t i = 0; i < header.size(); ++i) {
    EXPECT_EQ(ParseProxyHeader(std::string_view(header).substr(0, i)).kind, Kind::kNeedMore)
        << "prefix of " << i << " bytes";
  }
  EXPECT_EQ(ExpectDone(header).length, header.size());
}

TEST(ProxyProtocolTest, V1Tcp4) {
  std::string line = "PROXY TCP4 192.0.2.1 198.51.100.7 56324 993\r\n";
  ProxyHeader h = ExpectDone(line);
  EXPECT_EQ(h.length, line.size());
  ASSERT_TRUE(h.has_addresses);
  EXPECT_EQ(h.source.storage.ss_family, AF_INET);
  EXPECT_EQ(h.source.len, sizeof(sockaddr_in));
  EXPECT_EQ(h.source.ToString(), "192.0.2.1:56324");
  EXPECT_EQ(h.destination.ToString(), "198.51.100.7:993");
}

TEST(ProxyProtocolTest, V1Tcp6) {
  std::string line = "PROXY TCP6 2001:db8::1 ::ffff:10.0.0.1 65535 0\r\n";
  ProxyHeader h = ExpectDone(line);
  ASSERT_TRUE(h.has_addresses);
  EXPECT_EQ(h.source.storage.ss_family, AF_INET6);
  EXPECT_EQ(h.source.len, sizeof(sockaddr_in6));
  EXPECT_EQ(h.source.ToString(), "[2001:db8::1]:65535");
  EXPECT_EQ(h.destination.ToString(), "[::ffff:10.0.0.1]:0");
}

TEST(ProxyProtocolTest, V1Unknown) {
  EXPECT_FALSE(ExpectDone("PROXY UNKNOWN\r\n").has_addresses);
  ProxyHeader h = ExpectDone("PROXY UNKNOWN ffff::1 ffff::2 1 2\r\n");
  EXPECT_FALSE(h.has_addresses);
  EXPECT_EQ(h.length, 35u);
}

TEST(ProxyProtocolTest, V1LongestLineIsAccepted) {
  std::string a = "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff";
  std::string line = "PROXY TCP6 " + a + " " + a + " 65535 65535\r\n";
  ASSERT_EQ(line.size(), 104u);
  EXPECT_EQ(ExpectDone(line).length, 104u);
  // UNKNOWN with filler up to exactly 107 bytes is still fine.
  std::string unknown = "PROXY UNKNOWN " + std::string(91, 'x') + "\r\n";
  ASSERT_EQ(unknown.size(), 107u);
  EXPECT_EQ(ExpectDone(unknown).length, 107u);
}

TEST(ProxyProtocolTest, V1LineTooLong) {
  std::string unknown = "PROXY UNKNOWN " + std::string(92, 'x') + "\r\n";  // 108
  ExpectError(unknown);
  ExpectError(unknown.substr(0, 107));  // no CRLF within 107 bytes
  ExpectError("PROXY UNKNOWN " + std::string(200, 'x'));
}

TEST(ProxyProtocolTest, V1Malformed) {
  ExpectError("PROXY TCP5 1.2.3.4 1.2.3.5 1 2\r\n");
  ExpectError("PROXY TCP4 1.2.3.4 1.2.3.5 1\r\n");
  ExpectError("PROXY TCP4 1.2.3.4 1.2.3.5 1 2 3\r\n");
  ExpectError("PROXY TCP4 1.2.3 1.2.3.5 1 2\r\n");
  ExpectError("PROXY TCP4 1.2.3.4 1.2.3.256 1 2\r\n");
  ExpectError("PROXY TCP4 ::1 ::1 1 2\r\n");
  ExpectError("PROXY TCP6 1.2.3.4 1.2.3.5 1 2\r\n");
  ExpectError("PROXY TCP4 1.2.3.4 1.2.3.5 65536 2\r\n");
  ExpectError("PROXY TCP4 1.2.3.4 1.2.3.5 -1 2\r\n");
  ExpectError("PROXY TCP4  1.2.3.4 1.2.3.5 1 2\r\n");
  ExpectError("PROXY TCP4 1.2.3.4 1.2.3.5 1 2\n");
  ExpectError("PROXY TCP4 1.2.3.4 1.2.3.5 1 2\rX");
  ExpectError("PROXY\r\n");
  ExpectError("PROXY \r\n");
  ExpectError("PROXZ TCP4");
  ExpectError("proxy TCP4 1.2.3.4 1.2.3.5 1 2\r\n");
  ExpectError("PROXY TCP4 1.2.3.4\t1.2.3.5 1 2\r\n");
  ExpectError(std::string("PROXY TCP4 1.2.3.4\0 1.2.3.5 1 2\r\n", 33));
}

TEST(ProxyProtocolTest, V1RejectedEarlyOnceHopeless) {
  ExpectError("PROXY TCP7");  // no such protocol, CRLF or not
  ExpectError("PROXY X");
  ExpectError("a001 LOGIN");  // not a PROXY header at all
  ExpectError("PROXY TCP4 1.2\n");
}

TEST(ProxyProtocolTest, V2Inet) {
  std::string h = V2Inet();
  ProxyHeader header = ExpectDone(h);
  EXPECT_EQ(header.length, 28u);
  ASSERT_TRUE(header.has_addresses);
  EXPECT_EQ(header.source.len, sizeof(sockaddr_in));
  EXPECT_EQ(header.source.ToString(), "192.0.2.1:56324");
  EXPECT_EQ(header.destination.ToString(), "198.51.100.7:993");
}

TEST(ProxyProtocolTest, V2Inet6) {
  ProxyHeader header = ExpectDone(V2Inet6());
  EXPECT_EQ(header.length, 52u);
  ASSERT_TRUE(header.has_addresses);
  EXPECT_EQ(header.source.len, sizeof(sockaddr_in6));
  EXPECT_EQ(header.source.ToString(), "[2001:db8::1]:443");
  EXPECT_EQ(header.destination.ToString(), "[2001:db8::2]:143");
}

TEST(ProxyProtocolTest, V2LocalKeepsSocketAddresses) {
  ProxyHeader header = ExpectDone(V2(0x20, 0x00, ""));
  EXPECT_EQ(header.length, 16u);
  EXPECT_FALSE(header.has_addresses);
  // LOCAL ignores the family and whatever block follows.
  header = ExpectDone(V2(0x20, 0x11, std::string(12, '\x7f')));
  EXPECT_FALSE(header.has_addresses);
  EXPECT_EQ(header.length, 28u);
}

TEST(ProxyProtocolTest, V2SkipsTlvs) {
  // PP2_TYPE_ALPN "imap" and PP2_TYPE_AUTHORITY "mail.example.org".
  std::string tlvs = std::string("\x01\x00\x04imap", 7) + std::string("\x02\x00\x10", 3) + "mail.example.org";
  std::string h = V2Inet(tlvs);
  ProxyHeader header = ExpectDone(h);
  EXPECT_EQ(header.length, 16 + 12 + tlvs.size());
  EXPECT_EQ(header.source.ToString(), "192.0.2.1:56324");
}

TEST(ProxyProtocolTest, V2UnspecAndUnixFallBackToSocketAddresses) {
  EXPECT_FALSE(ExpectDone(V2(0x21, 0x00, "")).has_addresses);
  EXPECT_FALSE(ExpectDone(V2(0x21, 0x31, std::string(216, 'u'))).has_addresses);
  EXPECT_FALSE(ExpectDone(V2(0x21, 0x12, std::string(12, '\x01'))).has_addresses);  // UDP
}

TEST(ProxyProtocolTest, V2Malformed) {
  ExpectError(V2(0x11, 0x11, std::string(12, '\0')));    // version 1 in a v2 header
  ExpectError(V2(0x31, 0x11, std::string(12, '\0')));    // version 3
  ExpectError(V2(0x22, 0x11, std::string(12, '\0')));    // command 2
  ExpectError(V2(0x21, 0x41, std::string(12, '\0')));    // family 4
  ExpectError(V2(0x21, 0x13, std::string(12, '\0')));    // transport 3
  ExpectError(V2(0x21, 0x11, std::string(11, '\0')));    // short for IPv4
  ExpectError(V2(0x21, 0x21, std::string(12, '\0')));    // short for IPv6
  ExpectError(V2(0x21, 0x11, std::string(5000, '\0')));  // length too big
  std::string bad_sig = V2Inet();
  bad_sig[5] = 'X';
  ExpectError(bad_sig);
  // Rejected from the first wrong byte, without waiting for the rest.
  ExpectError(std::string("\r\n\r\n\0\r\nQUIX", 12));
  ExpectError(kSig + '\x11');
  ExpectError(kSig + std::string("\x21\x51", 2));
  ExpectError(kSig + std::string("\x21\x11\xff\xff", 4));
  ExpectError(kSig + std::string("\x21\x21\x00\x10", 4));
}

TEST(ProxyProtocolTest, ByteAtATime) {
  ExpectByteAtATime("PROXY TCP4 192.0.2.1 198.51.100.7 56324 993\r\n");
  ExpectByteAtATime("PROXY TCP6 2001:db8::1 2001:db8::2 1 2\r\n");
  ExpectByteAtATime("PROXY UNKNOWN\r\n");
  ExpectByteAtATime(V2Inet());
  ExpectByteAtATime(V2Inet6());
  ExpectByteAtATime(V2(0x20, 0x00, ""));
  ExpectByteAtATime(V2Inet(std::string("\x04\x00\x00", 3)));
  EXPECT_EQ(ParseProxyHeader("").kind, Kind::kNeedMore);
}

// The fuzz target's property on a fixed set: a prefix either needs more or
// gets exactly the whole input's answer.
TEST(ProxyProtocolTest, PrefixesNeverContradictTheWhole) {
  std::vector<std::string> inputs = {
      "PROXY TCP4 192.0.2.1 198.51.100.7 56324 993\r\nrest",
      "PROXY TDP4 192.0.2.1 198.51.100.7 56324 993\r",  // once answered kNeedMore whole
      "PROXY TCP4 1.2.3.4 1.2.3.5 1 2\rX",
      "PROXY UNKNOWN " + std::string(92, 'x') + "\r\n",
      V2Inet("tlv"),
      V2(0x21, 0x21, std::string(12, '\0')),
      V2(0x13, 0x11, std::string(12, '\0')),
  };
  for (const std::string& input : inputs) {
    ProxyParse whole = ParseProxyHeader(input);
    for (size_t i = 0; i <= input.size(); ++i) {
      ProxyParse part = ParseProxyHeader(std::string_view(input).substr(0, i));
      if (part.kind == Kind::kNeedMore) continue;
      EXPECT_EQ(part.kind, whole.kind) << testing::PrintToString(input) << " prefix " << i;
      if (part.kind == Kind::kDone) {
        EXPECT_EQ(part.header.length, whole.header.length);
      }
    }
  }
}

TEST(ProxyProtocolTest, HeaderFollowedByProtocolBytes) {
  std::string v1 = "PROXY TCP4 192.0.2.1 198.51.100.7 56324 993\r\n";
  EXPECT_EQ(ExpectDone(v1 + "a001 CAPABILITY\r\n").length, v1.size());
  // Even bytes that look like another header are the protocol's.
  EXPECT_EQ(ExpectDone(v1 + v1).length, v1.size());
  std::string v2 = V2Inet6();
  EXPECT_EQ(ExpectDone(v2 + "\x16\x03\x01 TLS hello").length, v2.size());
  EXPECT_EQ(ExpectDone(V2(0x20, 0, "") + "USER bob\r\n").length, 16u);
}

}  // namespace
}  // namespace roost::net
