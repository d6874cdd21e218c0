#include "net/connection_limiter.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <thread>
#include <vector>

#include <gtest/gtest.h>

namespace roost::net {
namespace {

SocketAddress V4(const char* ip, uint16_t port = 1000) {
  SocketAddress a;
  auto* in = reinterpret_cast<sockaddr_in*>(&a.storage);
  in->sin_family = AF_INET;
  in->sin_port = htons(port);
  inet_pton(AF_INET, ip, &in->sin_addr);
  a.len = sizeof(sockaddr_in);
  return a;
}

SocketAddress V6(const char* ip, uint16_t port = 1000) {
  SocketAddress a;
  auto* in6 = reinterpret_cast<sockaddr_in6*>(&a.storage);
  in6->sin6_family = AF_INET6;
  in6->sin6_port = htons(port);
  inet_pton(AF_INET6, ip, &in6->sin6_addr);
  a.len = sizeof(sockaddr_in6);
  return a;
}

TEST(ConnectionLimiterTest, LimitsPerAddressAndReleases) {
  ConnectionLimiter limiter(2);
  EXPECT_TRUE(limiter.TryAcquire(V4("192.0.2.1", 1)));
  EXPECT_TRUE(limiter.TryAcquire(V4("192.0.2.1", 2)));  // port does not matter
  EXPECT_FALSE(limiter.TryAcquire(V4("192.0.2.1", 3)));
  EXPECT_EQ(limiter.Count(V4("192.0.2.1")), 2u);
  EXPECT_TRUE(limiter.TryAcquire(V4("192.0.2.2")));  // other address
  limiter.Release(V4("192.0.2.1"));
  EXPECT_EQ(limiter.Count(V4("192.0.2.1")), 1u);
  EXPECT_TRUE(limiter.TryAcquire(V4("192.0.2.1")));
  limiter.Release(V4("192.0.2.1"));
  limiter.Release(V4("192.0.2.1"));
  EXPECT_EQ(limiter.Count(V4("192.0.2.1")), 0u);
  limiter.Release(V4("192.0.2.1"));  // unbalanced release is harmless
  EXPECT_EQ(limiter.Count(V4("192.0.2.1")), 0u);
}

TEST(ConnectionLimiterTest, ZeroMeansUnlimitedButStillCounts) {
  ConnectionLimiter limiter(0);
  for (int i = 0; i < 100; ++i) ASSERT_TRUE(limiter.TryAcquire(V4("198.51.100.7")));
  EXPECT_EQ(limiter.Count(V4("198.51.100.7")), 100u);
  limiter.set_max_per_ip(100);
  EXPECT_FALSE(limiter.TryAcquire(V4("198.51.100.7")));
}

TEST(ConnectionLimiterTest, Ipv6CountedPerSlash64) {
  ConnectionLimiter limiter(2);
  EXPECT_EQ(ConnectionLimiter::KeyFor(V6("2001:db8:1:2::1")), ConnectionLimiter::KeyFor(V6("2001:db8:1:2:ffff::9")));
  EXPECT_NE(ConnectionLimiter::KeyFor(V6("2001:db8:1:2::1")), ConnectionLimiter::KeyFor(V6("2001:db8:1:3::1")));
  EXPECT_TRUE(limiter.TryAcquire(V6("2001:db8:1:2::1")));
  EXPECT_TRUE(limiter.TryAcquire(V6("2001:db8:1:2::2")));
  EXPECT_FALSE(limiter.TryAcquire(V6("2001:db8:1:2:abcd::3")));
  EXPECT_TRUE(limiter.TryAcquire(V6("2001:db8:1:3::1")));
}

TEST(ConnectionLimiterTest, V4MappedCountsAsV4) {
  EXPECT_EQ(ConnectionLimiter::KeyFor(V6("::ffff:192.0.2.1")), ConnectionLimiter::KeyFor(V4("192.0.2.1")));
  EXPECT_EQ(ConnectionLimiter::KeyFor(V4("192.0.2.1")), "192.0.2.1");
}

TEST(ConnectionLimiterTest, ConcurrentAcquireNeverExceedsLimit) {
  ConnectionLimiter limiter(5);
  std::atomic<int> granted{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 100; ++i) {
        if (limiter.TryAcquire(V4("203.0.113.9"))) granted.fetch_add(1);
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(granted.load(), 5);
  EXPECT_EQ(limiter.Count(V4("203.0.113.9")), 5u);
}

}  // namespace
}  // namespace roost::net
