// TLS against the real roostd: STARTTLS upgrade (RFC 3501 §6.2.1, RFC 2595),
// implicit TLS (RFC 8314), and the plaintext command injection defence.
#include <gtest/gtest.h>

#include "support/fixture.h"

namespace roost::itest {
namespace {

using TlsTest = RoostdTest;

std::string CapabilityLine(const std::vector<std::string>& reply) {
  for (const std::string& line : reply) {
    if (line.rfind("* CAPABILITY ", 0) == 0) return line;
  }
  return "";
}

TEST_P(TlsTest, StartTlsUpgradeThenCapabilityWithoutStartTls) {
  std::string greeting;
  ITEST_ASSIGN_OR_FAIL(auto conn, ConnectAndGreet(imap_port(), &greeting));
  ITEST_ASSIGN_OR_FAIL(auto st, conn->Command("a1", "STARTTLS"));
  ASSERT_EQ(TaggedStatus(st, "a1"), "OK") << st.back();
  ITEST_ASSERT_OK(conn->StartTls());

  // RFC 3501 §6.2.1: the client must discard cached capabilities; after TLS
  // STARTTLS is no longer offered.
  ITEST_ASSIGN_OR_FAIL(auto cap, conn->Command("a2", "CAPABILITY"));
  std::string line = CapabilityLine(cap);
  ASSERT_FALSE(line.empty());
  EXPECT_NE(line.find("IMAP4rev1"), std::string::npos) << line;
  EXPECT_EQ(line.find("STARTTLS"), std::string::npos) << line;
  EXPECT_EQ(TaggedStatus(cap, "a2"), "OK");

  ITEST_ASSIGN_OR_FAIL(auto bye, conn->Command("a3", "LOGOUT"));
  EXPECT_TRUE(HasLineStartingWith(bye, "* BYE"));
  EXPECT_EQ(TaggedStatus(bye, "a3"), "OK");
}

TEST_P(TlsTest, ImplicitTlsListener) {
  ASSERT_NE(imaps_port(), 0) << "no imaps listener in the ready file";
  ITEST_ASSIGN_OR_FAIL(auto conn, ImapConn::ConnectTls(imaps_port()));
  ASSERT_TRUE(conn->tls());
  ITEST_ASSIGN_OR_FAIL(std::string greeting, conn->ReadLine());
  EXPECT_EQ(greeting.rfind("* OK", 0), 0u) << greeting;
  EXPECT_EQ(greeting.find("STARTTLS"), std::string::npos) << greeting;

  ITEST_ASSIGN_OR_FAIL(auto cap, conn->Command("a1", "CAPABILITY"));
  std::string line = CapabilityLine(cap);
  EXPECT_NE(line.find("IMAP4rev1"), std::string::npos) << line;
  EXPECT_EQ(line.find("STARTTLS"), std::string::npos) << line;
  EXPECT_EQ(TaggedStatus(cap, "a1"), "OK");
  ITEST_ASSIGN_OR_FAIL(auto noop, conn->Command("a2", "NOOP"));
  EXPECT_EQ(TaggedStatus(noop, "a2"), "OK");
  ITEST_ASSIGN_OR_FAIL(auto bye, conn->Command("a3", "LOGOUT"));
  EXPECT_EQ(TaggedStatus(bye, "a3"), "OK");
}

// A man in the middle can append plaintext commands behind STARTTLS in the
// same segment; executing them after the handshake would inject commands
// into the protected session (the CVE-2011-0411 class). The server must
// drop whatever follows STARTTLS in the plaintext buffer.
TEST_P(TlsTest, PlaintextPipelinedAfterStartTlsIsNotExecuted) {
  std::string greeting;
  ITEST_ASSIGN_OR_FAIL(auto conn, ConnectAndGreet(imap_port(), &greeting));
  ITEST_ASSERT_OK(conn->SendRaw("a1 STARTTLS\r\ninj CAPABILITY\r\n"));
  for (;;) {
    ITEST_ASSIGN_OR_FAIL(std::string line, conn->ReadLine());
    ASSERT_NE(line.rfind("inj ", 0), 0u) << "injected command answered in plaintext";
    if (line.rfind("a1 ", 0) == 0) {
      ASSERT_EQ(line.rfind("a1 OK", 0), 0u) << line;
      break;
    }
  }
  ITEST_ASSERT_OK(conn->StartTls());
  ITEST_ASSIGN_OR_FAIL(auto noop, conn->Command("a2", "NOOP"));
  EXPECT_FALSE(HasLineStartingWith(noop, "inj ")) << "injected command ran after TLS";
  EXPECT_FALSE(HasLineStartingWith(noop, "* CAPABILITY")) << "injected command ran after TLS";
  EXPECT_EQ(TaggedStatus(noop, "a2"), "OK");
}

ROOST_INSTANTIATE_BACKENDS(TlsTest);

}  // namespace
}  // namespace roost::itest
