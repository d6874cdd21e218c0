// The admin HTTP listener of the real roostd: /health and /metrics.
#include <gtest/gtest.h>

#include <thread>

#include "support/fixture.h"

namespace roost::itest {
namespace {

using AdminTest = RoostdTest;

TEST_P(AdminTest, HealthSaysOk) {
  ITEST_ASSIGN_OR_FAIL(HttpResponse resp, HttpGet(admin_port(), "/health"));
  EXPECT_EQ(resp.status, 200);
  EXPECT_EQ(resp.body, "ok\n");
}

TEST_P(AdminTest, UnknownPathIs404) {
  ITEST_ASSIGN_OR_FAIL(HttpResponse resp, HttpGet(admin_port(), "/nope"));
  EXPECT_EQ(resp.status, 404);
}

TEST_P(AdminTest, MetricsExposeConnectionGauges) {
  ITEST_ASSIGN_OR_FAIL(HttpResponse resp, HttpGet(admin_port(), "/metrics"));
  ASSERT_EQ(resp.status, 200);
  EXPECT_TRUE(MetricValue(resp.body, "roost_connections", "protocol=\"imap\"").has_value()) << resp.body;
  EXPECT_TRUE(MetricValue(resp.body, "roost_sessions", "protocol=\"imap\"").has_value()) << resp.body;
  std::optional<double> fds = MetricValue(resp.body, "roost_open_fds");
  ASSERT_TRUE(fds.has_value()) << resp.body;
  EXPECT_GT(*fds, 0);
}

TEST_P(AdminTest, ConnectionGaugeFollowsAnOpenConnection) {
  std::string greeting;
  ITEST_ASSIGN_OR_FAIL(auto conn, ConnectAndGreet(imap_port(), &greeting));
  // The greeting was sent, so the connection is registered; the gauge is
  // read by another thread, so allow it a bounded moment to become visible.
  double value = -1;
  for (int i = 0; i < 500 && value != 1; ++i) {
    ITEST_ASSIGN_OR_FAIL(value, Metric("roost_connections", "protocol=\"imap\""));
    if (value != 1) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(value, 1);
  conn.reset();
  for (int i = 0; i < 500 && value != 0; ++i) {
    ITEST_ASSIGN_OR_FAIL(value, Metric("roost_connections", "protocol=\"imap\""));
    if (value != 0) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(value, 0);
}

ROOST_INSTANTIATE_BACKENDS(AdminTest);

}  // namespace
}  // namespace roost::itest
