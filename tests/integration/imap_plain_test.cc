// IMAP over plain TCP against the real roostd: greeting, CAPABILITY, NOOP,
// LOGOUT and the BAD reply, on both IO backends.
#include <gtest/gtest.h>

#include "support/fixture.h"

namespace roost::itest {
namespace {

using ImapPlainTest = RoostdTest;

TEST_P(ImapPlainTest, GreetingCapabilityNoopLogout) {
  std::string greeting;
  ITEST_ASSIGN_OR_FAIL(auto conn, ConnectAndGreet(imap_port(), &greeting));
  // RFC 3501 §7.1.1 greeting with a CAPABILITY response code (§7.1): a
  // STARTTLS listener before TLS offers STARTTLS and refuses LOGIN.
  EXPECT_EQ(greeting.rfind("* OK [CAPABILITY IMAP4rev1", 0), 0u) << greeting;
  EXPECT_NE(greeting.find(" STARTTLS"), std::string::npos) << greeting;
  EXPECT_NE(greeting.find(" LOGINDISABLED"), std::string::npos) << greeting;

  ITEST_ASSIGN_OR_FAIL(auto cap, conn->Command("a1", "CAPABILITY"));
  EXPECT_TRUE(HasLineStartingWith(cap, "* CAPABILITY IMAP4rev1")) << cap.front();
  EXPECT_EQ(TaggedStatus(cap, "a1"), "OK");

  ITEST_ASSIGN_OR_FAIL(auto noop, conn->Command("a2", "NOOP"));
  EXPECT_EQ(TaggedStatus(noop, "a2"), "OK");

  // RFC 3501 §6.1.3: BYE, then the tagged OK, then the server closes.
  ITEST_ASSIGN_OR_FAIL(auto bye, conn->Command("a3", "LOGOUT"));
  EXPECT_TRUE(HasLineStartingWith(bye, "* BYE"));
  EXPECT_EQ(TaggedStatus(bye, "a3"), "OK");
  ITEST_ASSIGN_OR_FAIL(bool eof, conn->ReadEof());
  EXPECT_TRUE(eof);
}

TEST_P(ImapPlainTest, CommandsAreCaseInsensitive) {
  std::string greeting;
  ITEST_ASSIGN_OR_FAIL(auto conn, ConnectAndGreet(imap_port(), &greeting));
  ITEST_ASSIGN_OR_FAIL(auto reply, conn->Command("x7", "capability"));
  EXPECT_TRUE(HasLineStartingWith(reply, "* CAPABILITY "));
  EXPECT_EQ(TaggedStatus(reply, "x7"), "OK");
}

TEST_P(ImapPlainTest, UnknownCommandGetsBadAndSessionContinues) {
  std::string greeting;
  ITEST_ASSIGN_OR_FAIL(auto conn, ConnectAndGreet(imap_port(), &greeting));
  ITEST_ASSIGN_OR_FAIL(auto bad, conn->Command("a1", "FROBNICATE now"));
  EXPECT_EQ(TaggedStatus(bad, "a1"), "BAD") << bad.back();
  ITEST_ASSIGN_OR_FAIL(auto noop, conn->Command("a2", "NOOP"));
  EXPECT_EQ(TaggedStatus(noop, "a2"), "OK");
}

TEST_P(ImapPlainTest, PipelinedCommandsAnsweredInOrder) {
  std::string greeting;
  ITEST_ASSIGN_OR_FAIL(auto conn, ConnectAndGreet(imap_port(), &greeting));
  ITEST_ASSERT_OK(conn->SendRaw("p1 NOOP\r\np2 CAPABILITY\r\np3 NOOP\r\n"));
  std::vector<std::string> tagged;
  while (tagged.size() < 3) {
    ITEST_ASSIGN_OR_FAIL(std::string line, conn->ReadLine());
    if (line.rfind("* ", 0) != 0) tagged.push_back(line.substr(0, 5));
  }
  EXPECT_EQ(tagged, (std::vector<std::string>{"p1 OK", "p2 OK", "p3 OK"}));
}

ROOST_INSTANTIATE_BACKENDS(ImapPlainTest);

}  // namespace
}  // namespace roost::itest
