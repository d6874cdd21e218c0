// RFC 5322 address-list parsing into IMAP ENVELOPE addresses.
#include <gtest/gtest.h>

#include "storage/mime/address.h"
#include "storage/mime/rfc2047.h"

namespace roost::storage::mime {
namespace {

AddressList P(std::string_view s) { return ParseAddressList(s, 10000); }

void ExpectMailbox(const Address& a, std::string_view name, std::string_view mailbox, std::string_view host,
                   std::string_view adl = "") {
  EXPECT_EQ(a.kind, Address::Kind::kMailbox);
  EXPECT_EQ(a.name, name);
  EXPECT_EQ(a.mailbox, mailbox);
  EXPECT_EQ(a.host, host);
  EXPECT_EQ(a.adl, adl);
}

TEST(MimeAddressTest, PlainAndNamed) {
  AddressList l = P("alice@example.com, Bob Smith <bob@example.org>,\r\n \"Doe, John\" <jd@x.y>");
  ASSERT_EQ(l.addresses.size(), 3u);
  ExpectMailbox(l.addresses[0], "", "alice", "example.com");
  ExpectMailbox(l.addresses[1], "Bob Smith", "bob", "example.org");
  ExpectMailbox(l.addresses[2], "Doe, John", "jd", "x.y");
  EXPECT_FALSE(l.truncated);
}

TEST(MimeAddressTest, Groups) {
  AddressList l = P("Team: a@x.com, B <b@x.com>;, solo@y.com, Empty:;");
  ASSERT_EQ(l.addresses.size(), 7u);
  EXPECT_EQ(l.addresses[0].kind, Address::Kind::kGroupStart);
  EXPECT_EQ(l.addresses[0].mailbox, "Team");
  ExpectMailbox(l.addresses[1], "", "a", "x.com");
  ExpectMailbox(l.addresses[2], "B", "b", "x.com");
  EXPECT_EQ(l.addresses[3].kind, Address::Kind::kGroupEnd);
  ExpectMailbox(l.addresses[4], "", "solo", "y.com");
  EXPECT_EQ(l.addresses[5].kind, Address::Kind::kGroupStart);
  EXPECT_EQ(l.addresses[5].mailbox, "Empty");
  EXPECT_EQ(l.addresses[6].kind, Address::Kind::kGroupEnd);
}

TEST(MimeAddressTest, UnclosedGroupIsClosed) {
  AddressList l = P("undisclosed-recipients: a@b");
  ASSERT_EQ(l.addresses.size(), 3u);
  EXPECT_EQ(l.addresses[2].kind, Address::Kind::kGroupEnd);
}

TEST(MimeAddressTest, QuotedLocalParts) {
  AddressList l = P("\"john doe\"@example.com, <\"a@b\"@c.d>, \"x\\\"y\"@z");
  ASSERT_EQ(l.addresses.size(), 3u);
  ExpectMailbox(l.addresses[0], "", "john doe", "example.com");
  ExpectMailbox(l.addresses[1], "", "a@b", "c.d");
  ExpectMailbox(l.addresses[2], "", "x\"y", "z");
}

TEST(MimeAddressTest, Comments) {
  AddressList l =
      P("joe@x.com (Joe Bloggs), (lead) Ann (the boss) <ann@y.com> (ignored),"
        " k@(host comment)z.org");
  ASSERT_EQ(l.addresses.size(), 3u);
  ExpectMailbox(l.addresses[0], "Joe Bloggs", "joe", "x.com");  // comment as name
  ExpectMailbox(l.addresses[1], "Ann", "ann", "y.com");
  EXPECT_EQ(l.addresses[2].mailbox, "k");
  EXPECT_EQ(l.addresses[2].host, "z.org");
}

TEST(MimeAddressTest, RouteAddresses) {
  AddressList l = P("Old <@relay1.net,@relay2.net:user@final.org>");
  ASSERT_EQ(l.addresses.size(), 1u);
  ExpectMailbox(l.addresses[0], "Old", "user", "final.org", "@relay1.net,@relay2.net");
}

TEST(MimeAddressTest, MissingAngleBrackets) {
  AddressList l = P("John Doe john@example.com, <unclosed@x.org, stray@y.org>");
  ASSERT_EQ(l.addresses.size(), 3u);
  ExpectMailbox(l.addresses[0], "John Doe", "john", "example.com");
  ExpectMailbox(l.addresses[1], "", "unclosed", "x.org");
  ExpectMailbox(l.addresses[2], "", "stray", "y.org");
}

TEST(MimeAddressTest, NoDomainAndEmpty) {
  AddressList l = P("postmaster, , <>,");
  ASSERT_EQ(l.addresses.size(), 1u);
  ExpectMailbox(l.addresses[0], "", "postmaster", "");
  EXPECT_TRUE(P("").addresses.empty());
  EXPECT_TRUE(P("  ,,, ").addresses.empty());
}

TEST(MimeAddressTest, DomainLiteralAndDottedNames) {
  AddressList l = P("J. R. Doe <jr@[192.0.2.1]>, first.last@sub.example.com");
  ASSERT_EQ(l.addresses.size(), 2u);
  ExpectMailbox(l.addresses[0], "J. R. Doe", "jr", "[192.0.2.1]");
  ExpectMailbox(l.addresses[1], "", "first.last", "sub.example.com");
}

TEST(MimeAddressTest, EncodedWordsInDisplayNames) {
  AddressList l = P("=?UTF-8?B?SsO2cmc=?= <j@x.de>, \"=?iso-8859-1?q?Andr=E9?=\" <a@b.fr>");
  ASSERT_EQ(l.addresses.size(), 2u);
  // ENVELOPE keeps them encoded; decoding is for display and search.
  EXPECT_EQ(l.addresses[0].name, "=?UTF-8?B?SsO2cmc=?=");
  EXPECT_EQ(DecodeRfc2047(l.addresses[0].name), "J\xc3\xb6rg");
  EXPECT_EQ(DecodeRfc2047(l.addresses[1].name), "Andr\xc3\xa9");
}

TEST(MimeAddressTest, GarbageTerminates) {
  for (std::string_view s : {"<<<>>>", ":::;;;", "\"unterminated", "(unterminated", "@@@,,@", "a@", "@b",
                             "[x", "a <b@c", ";", ">"}) {
    uint64_t steps = 0;
    AddressList l = ParseAddressList(s, 100, &steps);
    EXPECT_LE(steps, s.size()) << s;
    EXPECT_LE(l.addresses.size(), 100u);
  }
}

TEST(MimeAddressTest, CapCountsGroupMarkersButKeepsGroupsBalanced) {
  AddressList l = ParseAddressList("G: a@b, c@d, e@f;", 2);
  ASSERT_EQ(l.addresses.size(), 3u);
  EXPECT_EQ(l.addresses[0].kind, Address::Kind::kGroupStart);
  EXPECT_EQ(l.addresses[2].kind, Address::Kind::kGroupEnd);
  EXPECT_TRUE(l.truncated);
}

}  // namespace
}  // namespace roost::storage::mime
