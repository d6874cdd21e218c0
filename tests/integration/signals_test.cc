// Signals on the real roostd: SIGHUP reloads and keeps serving, SIGTERM
// drains open sessions with "* BYE" (RFC 3501 §7.1.5) and exits 0.
#include <signal.h>
#include <sys/wait.h>

#include <gtest/gtest.h>

#include "support/fixture.h"

namespace roost::itest {
namespace {

using SignalsTest = RoostdTest;

TEST_P(SignalsTest, SighupKeepsServing) {
  std::string greeting;
  ITEST_ASSIGN_OR_FAIL(auto before, ConnectAndGreet(imap_port(), &greeting));
  ITEST_ASSERT_OK(server().Signal(SIGHUP));

  // The session that existed before the reload still works...
  ITEST_ASSIGN_OR_FAIL(auto noop, before->Command("a1", "NOOP"));
  EXPECT_EQ(TaggedStatus(noop, "a1"), "OK");
  // ...and new connections, plain and TLS, are still accepted. Several
  // rounds, so a reload that lands late is crossed as well.
  for (int i = 0; i < 5; ++i) {
    std::string g;
    ITEST_ASSIGN_OR_FAIL(auto after, ConnectAndGreet(imap_port(), &g));
    EXPECT_EQ(g.rfind("* OK", 0), 0u) << g;
    ITEST_ASSIGN_OR_FAIL(auto cap, after->Command("b1", "CAPABILITY"));
    EXPECT_EQ(TaggedStatus(cap, "b1"), "OK");
    ITEST_ASSIGN_OR_FAIL(auto tls, ImapConn::ConnectTls(imaps_port()));
    ITEST_ASSIGN_OR_FAIL(std::string tg, tls->ReadLine());
    EXPECT_EQ(tg.rfind("* OK", 0), 0u) << tg;
  }
  ITEST_ASSIGN_OR_FAIL(HttpResponse health, HttpGet(admin_port(), "/health"));
  EXPECT_EQ(health.status, 200);
}

TEST_P(SignalsTest, SigtermWithOpenConnectionSendsByeAndExitsZero) {
  std::string greeting;
  ITEST_ASSIGN_OR_FAIL(auto conn, ConnectAndGreet(imap_port(), &greeting));
  ITEST_ASSIGN_OR_FAIL(auto noop, conn->Command("a1", "NOOP"));
  ASSERT_EQ(TaggedStatus(noop, "a1"), "OK");

  ITEST_ASSERT_OK(server().Signal(SIGTERM));
  ITEST_ASSIGN_OR_FAIL(std::string line, conn->ReadLine());
  EXPECT_EQ(line.rfind("* BYE", 0), 0u) << line;
  ITEST_ASSIGN_OR_FAIL(bool eof, conn->ReadEof());
  EXPECT_TRUE(eof);

  // Bounded: shutdown_timeout is 5 s in the test config.
  ITEST_ASSIGN_OR_FAIL(int status, server().WaitForExit(std::chrono::seconds(20)));
  EXPECT_TRUE(WIFEXITED(status)) << status;
  EXPECT_EQ(WEXITSTATUS(status), 0);
}

TEST_P(SignalsTest, SigintAlsoExitsZero) {
  ITEST_ASSERT_OK(server().Signal(SIGINT));
  ITEST_ASSIGN_OR_FAIL(int status, server().WaitForExit(std::chrono::seconds(20)));
  EXPECT_TRUE(WIFEXITED(status)) << status;
  EXPECT_EQ(WEXITSTATUS(status), 0);
}

ROOST_INSTANTIATE_BACKENDS(SignalsTest);

}  // namespace
}  // namespace roost::itest
