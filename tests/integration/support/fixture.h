// RoostdTest: the parametrized fixture every integration test uses, so each
// test runs once per IO backend ("uring", "epoll"; STYLE.md convention 9).
//
// SetUp raises RLIMIT_NOFILE (inherited by roostd) and starts roostd with
// the default listeners: "imap" (STARTTLS) and "imaps" (implicit TLS), plus
// the admin listener. TearDown stops it with SIGTERM and expects exit code 0
// within a bounded wait, so every test also checks a clean shutdown; on any
// failure it prints roostd's log.
//
// Thread affinity: test thread only.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "support/http.h"
#include "support/imap_conn.h"
#include "support/roostd.h"

#define ITEST_CONCAT_INNER_(a, b) a##b
#define ITEST_CONCAT_(a, b) ITEST_CONCAT_INNER_(a, b)
// ITEST_ASSIGN_OR_FAIL(auto x, F()): declares x from F()'s value, or fails
// the test (fatally) with F()'s error.
#define ITEST_ASSIGN_OR_FAIL(lhs, expr) \
  ITEST_ASSIGN_OR_FAIL_IMPL_(ITEST_CONCAT_(itest_result_, __LINE__), lhs, expr)
#define ITEST_ASSIGN_OR_FAIL_IMPL_(tmp, lhs, expr)               \
  auto tmp = (expr);                                            \
  ASSERT_TRUE(tmp.has_value()) << tmp.error().ToString();       \
  lhs = std::move(tmp).value()
#define ITEST_ASSERT_OK(expr)                          \
  do {                                                 \
    ::roost::Status itest_status_ = (expr);            \
    ASSERT_TRUE(itest_status_.ok()) << itest_status_.ToString(); \
  } while (0)

namespace roost::itest {

class RoostdTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override;
  void TearDown() override;

  // Options SetUp starts roostd with; override to change listeners etc.
  virtual RoostdOptions ServerOptions() const;

  Roostd& server() { return *server_; }
  uint16_t imap_port() const { return server_->Port("imap"); }
  uint16_t imaps_port() const { return server_->Port("imaps"); }
  uint16_t admin_port() const { return server_->Port("admin"); }

  // Connects to "imap" and reads the greeting into *greeting.
  Result<std::unique_ptr<ImapConn>> ConnectAndGreet(uint16_t port, std::string* greeting);
  // GET /metrics and extract one value (see MetricValue).
  Result<double> Metric(std::string_view name, std::string_view label = "");

  std::unique_ptr<Roostd> server_;
};

// Test name suffix: the backend ("/uring", "/epoll").
inline std::string BackendName(const ::testing::TestParamInfo<std::string>& param) {
  return param.param;
}

}  // namespace roost::itest

#define ROOST_INSTANTIATE_BACKENDS(suite)                                             \
  INSTANTIATE_TEST_SUITE_P(Backends, suite, ::testing::Values("uring", "epoll"), \
                           ::roost::itest::BackendName)
