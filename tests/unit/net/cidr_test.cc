// Cidr: parsing, containment across IPv4 / IPv6 / v4-mapped, printing.
#include "net/cidr.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>

#include <cstring>
#include <string>

namespace roost::net {
namespace {

SocketAddress Addr(const std::string& host, uint16_t port = 1234) {
  SocketAddress a;
  if (host.find(':') == std::string::npos) {
    auto* in = reinterpret_cast<sockaddr_in*>(&a.storage);
    in->sin_family = AF_INET;
    in->sin_port = htons(port);
    EXPECT_EQ(inet_pton(AF_INET, host.c_str(), &in->sin_addr), 1) << host;
    a.len = sizeof(sockaddr_in);
  } else {
    auto* in6 = reinterpret_cast<sockaddr_in6*>(&a.storage);
    in6->sin6_family = AF_INET6;
    in6->sin6_port = htons(port);
    EXPECT_EQ(inet_pton(AF_INET6, host.c_str(), &in6->sin6_addr), 1) << host;
    a.len = sizeof(sockaddr_in6);
  }
  return a;
}

Cidr Net(std::string_view text) {
  auto cidr = Cidr::Parse(text);
  EXPECT_TRUE(cidr.has_value()) << text << ": " << cidr.status().ToString();
  return cidr.has_value() ? *cidr : Cidr();
}

TEST(CidrTest, Ipv4Network) {
  Cidr net = Net("10.0.0.0/8");
  EXPECT_TRUE(net.Contains(Addr("10.0.0.0")));
  EXPECT_TRUE(net.Contains(Addr("10.255.255.255")));
  EXPECT_FALSE(net.Contains(Addr("11.0.0.0")));
  EXPECT_FALSE(net.Contains(Addr("9.255.255.255")));
  EXPECT_EQ(net.ToString(), "10.0.0.0/8");
}

TEST(CidrTest, OddPrefixLengths) {
  Cidr net = Net("192.168.4.0/22");
  EXPECT_TRUE(net.Contains(Addr("192.168.7.200")));
  EXPECT_FALSE(net.Contains(Addr("192.168.8.1")));
  EXPECT_FALSE(net.Contains(Addr("192.168.3.255")));
  Cidr v6 = Net("2001:db8:8000::/33");
  EXPECT_TRUE(v6.Contains(Addr("2001:db8:ffff::1")));
  EXPECT_FALSE(v6.Contains(Addr("2001:db8:7fff::1")));
}

TEST(CidrTest, Ipv4MatchesV4MappedPeers) {
  Cidr loopback = Net("127.0.0.0/8");
  EXPECT_TRUE(loopback.Contains(Addr("::ffff:127.0.0.1")));
  EXPECT_TRUE(loopback.Contains(Addr("127.0.0.1")));
  EXPECT_FALSE(loopback.Contains(Addr("::1")));
  EXPECT_FALSE(loopback.Contains(Addr("::ffff:128.0.0.1")));
  // Not v4-mapped: an IPv6 address that merely ends in 127.0.0.1.
  EXPECT_FALSE(loopback.Contains(Addr("::127.0.0.1")));
}

TEST(CidrTest, Ipv6Network) {
  Cidr net = Net("::1/128");
  EXPECT_TRUE(net.Contains(Addr("::1")));
  EXPECT_FALSE(net.Contains(Addr("::2")));
  EXPECT_FALSE(net.Contains(Addr("127.0.0.1")));
  EXPECT_EQ(net.ToString(), "::1/128");
  Cidr doc = Net("2001:db8::/32");
  EXPECT_TRUE(doc.Contains(Addr("2001:db8:1:2::3")));
  EXPECT_FALSE(doc.Contains(Addr("2001:db9::1")));
}

TEST(CidrTest, BareAddressIsHostRoute) {
  Cidr v4 = Net("192.0.2.1");
  EXPECT_EQ(v4.ToString(), "192.0.2.1/32");
  EXPECT_TRUE(v4.Contains(Addr("192.0.2.1", 9)));
  EXPECT_FALSE(v4.Contains(Addr("192.0.2.2")));
  Cidr v6 = Net("2001:db8::5");
  EXPECT_EQ(v6.ToString(), "2001:db8::5/128");
  EXPECT_TRUE(v6.Contains(Addr("2001:db8::5")));
  EXPECT_FALSE(v6.Contains(Addr("2001:db8::6")));
}

TEST(CidrTest, ZeroPrefix) {
  Cidr any4 = Net("0.0.0.0/0");
  EXPECT_TRUE(any4.Contains(Addr("203.0.113.9")));
  EXPECT_FALSE(any4.Contains(Addr("2001:db8::1")));  // IPv4 networks hold IPv4 only
  Cidr any6 = Net("::/0");
  EXPECT_TRUE(any6.Contains(Addr("2001:db8::1")));
  EXPECT_TRUE(any6.Contains(Addr("203.0.113.9")));  // as ::ffff:203.0.113.9
}

TEST(CidrTest, HostBitsAreCleared) {
  Cidr net = Net("10.1.2.3/8");
  EXPECT_EQ(net.ToString(), "10.0.0.0/8");
  EXPECT_TRUE(net.Contains(Addr("10.200.0.1")));
  EXPECT_EQ(Net("2001:db8::ffff/120").ToString(), "2001:db8::ff00/120");
}

TEST(CidrTest, V4MappedNetworkWrittenAsIpv6PrintsAsIpv4) {
  Cidr net = Net("::ffff:10.0.0.0/104");
  EXPECT_EQ(net.ToString(), "10.0.0.0/8");
  EXPECT_TRUE(net.Contains(Addr("10.9.9.9")));
}

TEST(CidrTest, RejectsGarbage) {
  for (const char* bad : {"",
                          "/8",
                          "10.0.0.0/",
                          "10.0.0.0/33",
                          "10.0.0.0/-1",
                          "10.0.0.0/+8",
                          "10.0.0.0/8/8",
                          "10.0.0.0/ 8",
                          "10.0.0.0/0x8",
                          "10.0.0.0/1000",
                          "::1/129",
                          "10.0.0/8",
                          "10.0.0.256",
                          "1.2.3.4.5",
                          "localhost",
                          "10.0.0.0 /8",
                          " 10.0.0.0",
                          "::1::2",
                          "fe80::1%eth0",
                          "2001:db8:0:0:0:0:0:0:0:1/64"}) {
    EXPECT_FALSE(Cidr::Parse(bad).has_value()) << bad;
  }
}

TEST(CidrTest, NonInetAddressMatchesNothing) {
  SocketAddress unix_addr;
  unix_addr.storage.ss_family = AF_UNIX;
  EXPECT_FALSE(Net("::/0").Contains(unix_addr));
}

TEST(CidrTest, AnyContains) {
  std::vector<Cidr> nets = {Net("10.0.0.0/8"), Net("::1")};
  EXPECT_TRUE(AnyContains(nets, Addr("10.1.1.1")));
  EXPECT_TRUE(AnyContains(nets, Addr("::1")));
  EXPECT_FALSE(AnyContains(nets, Addr("192.0.2.1")));
  EXPECT_FALSE(AnyContains({}, Addr("10.1.1.1")));
}

}  // namespace
}  // namespace roost::net
