// BindListenSocket/BoundAddress, and Listener's accept policy (per-IP
// limit, PROXY trust), over a real IoLoop on both backends.
#include "net/listener.h"

#include <netinet/in.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "base/metrics.h"
#include "net/connection_metrics.h"
#include "unit/net/test_support.h"

namespace roost::net {
namespace {

using testing::BackendName;
using testing::Client;
using testing::LoopTest;
using testing::RecordingHandler;
using testing::TestFactory;
using testing::WaitUntil;

TEST(BindListenSocketTest, BindsIpv4AndReportsEphemeralPort) {
  Result<int> fd = BindListenSocket("127.0.0.1:0");
  ASSERT_TRUE(fd.has_value()) << fd.error().ToString();
  Result<SocketAddress> bound = BoundAddress(*fd);
  ASSERT_TRUE(bound.has_value());
  EXPECT_EQ(bound->Host(), "127.0.0.1");
  EXPECT_NE(bound->Port(), 0);
  // SO_REUSEPORT: a second socket on the same port (one per IO thread).
  Result<int> second = BindListenSocket("127.0.0.1:" + std::to_string(bound->Port()));
  ASSERT_TRUE(second.has_value()) << second.error().ToString();
  ::close(*second);
  ::close(*fd);
}

TEST(BindListenSocketTest, Ipv6AndDualStack) {
  Result<int> v6 = BindListenSocket("[::1]:0");
  ASSERT_TRUE(v6.has_value()) << v6.error().ToString();
  EXPECT_EQ(BoundAddress(*v6)->ToString().substr(0, 6), "[::1]:");
  ::close(*v6);

  Result<int> any = BindListenSocket("*:0");
  ASSERT_TRUE(any.has_value()) << any.error().ToString();
  SocketAddress bound = *BoundAddress(*any);
  EXPECT_EQ(bound.storage.ss_family, AF_INET6);
  int v6only = -1;
  socklen_t len = sizeof(v6only);
  ASSERT_EQ(getsockopt(*any, IPPROTO_IPV6, IPV6_V6ONLY, &v6only, &len), 0);
  EXPECT_EQ(v6only, 0);
  // An IPv4 client reaches the dual-stack socket.
  Result<int> v4_target_fd = BindListenSocket("127.0.0.1:0");  // just to build an IPv4 address
  ASSERT_TRUE(v4_target_fd.has_value());
  SocketAddress v4 = *BoundAddress(*v4_target_fd);
  ::close(*v4_target_fd);
  reinterpret_cast<sockaddr_in*>(&v4.storage)->sin_port = htons(bound.Port());
  Client client(v4);
  EXPECT_TRUE(client.connected());
  ::close(*any);
}

TEST(BindListenSocketTest, RejectsMalformedAddresses) {
  for (const char* bad : {"127.0.0.1", "127.0.0.1:", "127.0.0.1:70000", "[::1:143", "[::1]143", "host.example:143",
                          "1.2.3:143", ":x"}) {
    Result<int> fd = BindListenSocket(bad);
    EXPECT_FALSE(fd.has_value()) << bad;
    if (fd.has_value()) ::close(*fd);
  }
}

class ListenerTest : public LoopTest {};

TEST_P(ListenerTest, PerIpLimitClosesTheThirdConnectionAtOnce) {
  auto factory = std::make_shared<TestFactory>();
  ListenerOptions options;
  options.name = "limited";
  options.limiter = std::make_shared<ConnectionLimiter>(2);
  Counter& rejected = RejectedCounter("test", "per_ip_limit");
  uint64_t rejected_before = rejected.Value();
  Listen(options, factory);
  Client a(address_);
  Client b(address_);
  ASSERT_NE(factory->WaitHandler(1), nullptr);
  Client c(address_);
  ASSERT_TRUE(c.connected());  // the kernel accepted; we close at once
  EXPECT_TRUE(c.WaitClosed());
  EXPECT_EQ(rejected.Value(), rejected_before + 1);
  EXPECT_EQ(factory->handlers().size(), 2u);
  EXPECT_EQ(options.limiter->Count(address_), 2u);  // same host as the clients
  // Closing one frees its slot.
  a.Close();
  ASSERT_TRUE(WaitUntil([&] { return manager_->size() == 1; }));
  EXPECT_EQ(options.limiter->Count(address_), 1u);
  Client d(address_);
  ASSERT_NE(factory->WaitHandler(2), nullptr);
  EXPECT_EQ(options.limiter->Count(address_), 2u);
}

TEST_P(ListenerTest, ProxyHeaderFromTrustedNetworkSetsRemote) {
  auto factory = std::make_shared<TestFactory>(worker_.get());
  ListenerOptions options;
  options.name = "proxied";
  options.proxy_protocol = true;
  options.trusted_proxies.push_back(*Cidr::Parse("127.0.0.0/8"));
  Listen(options, factory);
  Client client(address_);
  // Header and first command in one segment, as haproxy sends them.
  ASSERT_TRUE(client.Send("PROXY TCP4 192.0.2.10 198.51.100.1 40000 143\r\nhello\r\n"));
  EXPECT_EQ(client.ReadLine(), "echo: hello");
  auto handler = factory->WaitHandler(0);
  ASSERT_NE(handler, nullptr);
  PeerInfo peer = handler->Read([](RecordingHandler& h) { return h.open_peer_; });
  EXPECT_TRUE(peer.proxied);
  EXPECT_EQ(peer.remote.Host(), "192.0.2.10");
  EXPECT_EQ(peer.remote.Port(), 40000);
  EXPECT_EQ(peer.local.Host(), "198.51.100.1");
  EXPECT_EQ(handler->created_peer().remote.Host(), "192.0.2.10");  // the session is made after the header
}

TEST_P(ListenerTest, ProxyHeaderSplitAcrossSegments) {
  auto factory = std::make_shared<TestFactory>(worker_.get());
  ListenerOptions options;
  options.proxy_protocol = true;
  options.trusted_proxies.push_back(*Cidr::Parse("127.0.0.1"));
  Listen(options, factory);
  Client client(address_);
  ASSERT_TRUE(client.Send("PROXY TCP4 192.0.2.11 "));
  loop_->RunSync([] {});
  EXPECT_EQ(factory->handlers().size(), 0u);  // no session before the header is complete
  ASSERT_TRUE(client.Send("198.51.100.1 40001 143\r\nhi\r\n"));
  EXPECT_EQ(client.ReadLine(), "echo: hi");
}

TEST_P(ListenerTest, SilentClientIsClosedAtHandshakeTimeout) {
  auto factory = std::make_shared<TestFactory>();
  ListenerOptions options;
  options.proxy_protocol = true;
  options.trusted_proxies.push_back(*Cidr::Parse("127.0.0.0/8"));
  options.connection.handshake_timeout = std::chrono::milliseconds(20);
  Counter& timeouts = RejectedCounter("test", "handshake_timeout");
  uint64_t before = timeouts.Value();
  Listen(options, factory);
  Client client(address_);
  ASSERT_TRUE(client.connected());
  EXPECT_TRUE(client.WaitClosed());  // sends nothing, is closed
  ASSERT_TRUE(WaitUntil([&] { return manager_->size() == 0; }));
  EXPECT_EQ(timeouts.Value(), before + 1);
  EXPECT_EQ(factory->handlers().size(), 0u);
}

TEST_P(ListenerTest, BadProxyHeaderCloses) {
  auto factory = std::make_shared<TestFactory>();
  ListenerOptions options;
  options.proxy_protocol = true;
  options.trusted_proxies.push_back(*Cidr::Parse("127.0.0.0/8"));
  Listen(options, factory);
  Client client(address_);
  ASSERT_TRUE(client.Send("HELLO I AM NOT A PROXY HEADER AT ALL\r\n"));
  EXPECT_TRUE(client.WaitClosed());
  EXPECT_EQ(factory->handlers().size(), 0u);
}

TEST_P(ListenerTest, ProxyHeaderFromUntrustedNetworkIsRejected) {
  auto factory = std::make_shared<TestFactory>();
  ListenerOptions options;
  options.proxy_protocol = true;
  options.trusted_proxies.push_back(*Cidr::Parse("10.0.0.0/8"));
  Counter& rejected = RejectedCounter("test", "untrusted_proxy");
  uint64_t before = rejected.Value();
  Listen(options, factory);
  Client client(address_);
  ASSERT_TRUE(client.connected());
  client.Send("PROXY TCP4 192.0.2.10 198.51.100.1 40000 143\r\n");
  EXPECT_TRUE(client.WaitClosed());
  EXPECT_EQ(rejected.Value(), before + 1);
  EXPECT_EQ(factory->handlers().size(), 0u);
  EXPECT_EQ(manager_->size(), 0u);
}

TEST_P(ListenerTest, StopClosesTheListeningSocket) {
  auto factory = std::make_shared<TestFactory>();
  Listen(ListenerOptions{}, factory);
  auto stopped = std::make_shared<std::promise<void>>();
  loop_->RunSync([&] { listener_->Stop([stopped] { stopped->set_value(); }); });
  ASSERT_EQ(stopped->get_future().wait_for(testing::kWaitTimeout), std::future_status::ready);
  listener_.reset();
  Client client(address_);
  EXPECT_FALSE(client.connected());
}

INSTANTIATE_TEST_SUITE_P(Backends, ListenerTest, ::testing::Values(IoBackend::kUring, IoBackend::kEpoll),
                         BackendName);

}  // namespace
}  // namespace roost::net
