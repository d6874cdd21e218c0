// 2,000 concurrent connections against the real roostd, dropped all at once
// without LOGOUT: every gauge must return to where it started, which is
// how leaked connections, sessions or file descriptors show up.
#include <gtest/gtest.h>

#include <thread>

#include "support/fixture.h"

namespace roost::itest {
namespace {

constexpr int kConnections = 2000;
constexpr auto kSettleLimit = std::chrono::seconds(20);
constexpr auto kPollInterval = std::chrono::milliseconds(50);

using ManyConnectionsTest = RoostdTest;

struct Gauges {
  double connections = -1;
  double sessions = -1;
  double open_fds = -1;
};

Result<Gauges> ReadGauges(uint16_t admin_port) {
  ROOST_ASSIGN_OR_RETURN(HttpResponse resp, HttpGet(admin_port, "/metrics"));
  Gauges g;
  auto c = MetricValue(resp.body, "roost_connections", "protocol=\"imap\"");
  auto s = MetricValue(resp.body, "roost_sessions", "protocol=\"imap\"");
  auto f = MetricValue(resp.body, "roost_open_fds");
  if (!c || !s || !f) return Status::NotFound("gauges missing from /metrics:\n" + resp.body);
  g.connections = *c;
  g.sessions = *s;
  g.open_fds = *f;
  return g;
}

TEST_P(ManyConnectionsTest, TwoThousandConnectionsDroppedAtOnceLeaveNothingBehind) {
  // SetUp raised our limit before spawning roostd, so both ends have room.
  ASSERT_GE(RaiseFdLimit(), kConnections + 200) << "RLIMIT_NOFILE hard limit too low";
  // One full session first, so every per-protocol series exists (whether
  // they exist before any connection is AdminTest's business) and any
  // lazily opened fds are part of the baseline.
  {
    std::string greeting;
    ITEST_ASSIGN_OR_FAIL(auto warmup, ConnectAndGreet(imap_port(), &greeting));
    ITEST_ASSIGN_OR_FAIL(auto bye, warmup->Command("w1", "LOGOUT"));
    ASSERT_EQ(TaggedStatus(bye, "w1"), "OK");
  }
  Gauges baseline;
  auto end = std::chrono::steady_clock::now() + kSettleLimit;
  do {
    ITEST_ASSIGN_OR_FAIL(baseline, ReadGauges(admin_port()));
    if (baseline.connections == 0 && baseline.sessions == 0) break;
    std::this_thread::sleep_for(kPollInterval);
  } while (std::chrono::steady_clock::now() < end);
  ASSERT_EQ(baseline.connections, 0);
  ASSERT_EQ(baseline.sessions, 0);

  std::vector<std::unique_ptr<ImapConn>> conns;
  conns.reserve(kConnections);
  for (int i = 0; i < kConnections; ++i) {
    // Reading each greeting before the next connect keeps the accept
    // backlog short, so the test measures roostd, not SOMAXCONN.
    std::string greeting;
    ITEST_ASSIGN_OR_FAIL(auto conn, ConnectAndGreet(imap_port(), &greeting));
    ASSERT_EQ(greeting.rfind("* OK", 0), 0u) << "connection " << i << ": " << greeting;
    conns.push_back(std::move(conn));
  }

  Gauges loaded;
  end = std::chrono::steady_clock::now() + kSettleLimit;
  do {
    ITEST_ASSIGN_OR_FAIL(loaded, ReadGauges(admin_port()));
    if (loaded.connections == kConnections) break;
    std::this_thread::sleep_for(kPollInterval);
  } while (std::chrono::steady_clock::now() < end);
  EXPECT_EQ(loaded.connections, kConnections);
  EXPECT_GE(loaded.open_fds, baseline.open_fds + kConnections);

  conns.clear();  // close() on every socket, no LOGOUT

  Gauges after;
  end = std::chrono::steady_clock::now() + kSettleLimit;
  do {
    ITEST_ASSIGN_OR_FAIL(after, ReadGauges(admin_port()));
    if (after.connections == 0 && after.sessions == 0 && after.open_fds <= baseline.open_fds) break;
    std::this_thread::sleep_for(kPollInterval);
  } while (std::chrono::steady_clock::now() < end);
  EXPECT_EQ(after.connections, 0);
  EXPECT_EQ(after.sessions, 0);
  EXPECT_LE(after.open_fds, baseline.open_fds) << "baseline " << baseline.open_fds;

  // And the server still serves.
  std::string greeting;
  ITEST_ASSIGN_OR_FAIL(auto conn, ConnectAndGreet(imap_port(), &greeting));
  ITEST_ASSIGN_OR_FAIL(auto noop, conn->Command("a1", "NOOP"));
  EXPECT_EQ(TaggedStatus(noop, "a1"), "OK");
}

ROOST_INSTANTIATE_BACKENDS(ManyConnectionsTest);

}  // namespace
}  // namespace roost::itest
