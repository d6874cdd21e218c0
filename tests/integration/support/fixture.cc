#include "support/fixture.h"

#include <sys/wait.h>

#include <cstdio>

#include <fmt/format.h>

namespace roost::itest {

RoostdOptions RoostdTest::ServerOptions() const {
  RoostdOptions options;
  options.backend = GetParam();
  return options;
}

void RoostdTest::SetUp() {
  RaiseFdLimit();
  auto started = Roostd::Start(ServerOptions());
  ASSERT_TRUE(started.has_value()) << started.error().ToString();
  server_ = std::move(started).value();
  // The backend must be the one asked for: a silent fallback to epoll would
  // make the uring half of the suite test nothing.
  ASSERT_EQ(server_->backend(), GetParam());
  ASSERT_NE(imap_port(), 0) << "no imap listener in the ready file";
}

void RoostdTest::TearDown() {
  if (server_ == nullptr) return;
  if (server_->running()) {
    Result<int> status = server_->Stop();
    EXPECT_TRUE(status.has_value()) << status.error().ToString();
    if (status.has_value()) {
      EXPECT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) == 0)
          << fmt::format("roostd exit status {:#x}", *status);
    }
  }
  if (HasFailure()) std::fprintf(stderr, "---- roostd log ----\n%s\n----\n", server_->Log().c_str());
  server_.reset();
}

Result<std::unique_ptr<ImapConn>> RoostdTest::ConnectAndGreet(uint16_t port, std::string* greeting) {
  ROOST_ASSIGN_OR_RETURN(std::unique_ptr<ImapConn> conn, ImapConn::Connect(port));
  ROOST_ASSIGN_OR_RETURN(*greeting, conn->ReadLine());
  return conn;
}

Result<double> RoostdTest::Metric(std::string_view name, std::string_view label) {
  ROOST_ASSIGN_OR_RETURN(HttpResponse resp, HttpGet(admin_port(), "/metrics"));
  if (resp.status != 200) return Status::Unavailable(fmt::format("/metrics: HTTP {}", resp.status));
  std::optional<double> v = MetricValue(resp.body, name, label);
  if (!v) return Status::NotFound(fmt::format("no {}{{{}}} in /metrics:\n{}", name, label, resp.body));
  return *v;
}

}  // namespace roost::itest
