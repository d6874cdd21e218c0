#include "storage/maildir/dovecot_uidlist.h"

#include <gtest/gtest.h>

#include "unit/storage/maildir_fixture.h"

namespace roost::storage::maildir {
namespace {

using testing::ReadFixture;

TEST(DovecotUidList, ParsesVersion3Fixture) {
  auto r = ParseDovecotUidList(ReadFixture("dovecot-uidlist-v3"));
  ASSERT_TRUE(r.has_value()) << r.error().ToString();
  EXPECT_EQ(r->version, 3);
  EXPECT_EQ(r->uids.uidvalidity, 1606213467u);
  EXPECT_EQ(r->uids.nextuid, 12u);
  EXPECT_EQ(r->mailbox_guid, "4e8a3b1f9c2d0e5f6a7b8c9d0e1f2a3b");
  ASSERT_EQ(r->uids.entries.size(), 4u);
  EXPECT_EQ(r->uids.entries[0], (UidEntry{1, "1606213467.M1P1.host,S=100,W=103"}));
  // ":2,S" info stripped so the basename matches cur/ whatever the flags.
  EXPECT_EQ(r->uids.entries[1], (UidEntry{3, "1606213500.M2P2.host,S=2000,W=2040"}));
  EXPECT_EQ(r->uids.entries[2], (UidEntry{7, "1606213600.M3P3.host,S=10,W=12"}));
  EXPECT_EQ(r->uids.entries[3], (UidEntry{11, "msg with spaces"}));
}

TEST(DovecotUidList, ParsesVersion1Fixture) {
  auto r = ParseDovecotUidList(ReadFixture("dovecot-uidlist-v1"));
  ASSERT_TRUE(r.has_value()) << r.error().ToString();
  EXPECT_EQ(r->version, 1);
  EXPECT_EQ(r->uids.uidvalidity, 1100000000u);
  EXPECT_EQ(r->uids.nextuid, 4u);
  ASSERT_EQ(r->uids.entries.size(), 2u);
  EXPECT_EQ(r->uids.entries[0], (UidEntry{1, "1100000000.12345_1.oldhost"}));
  EXPECT_EQ(r->uids.entries[1], (UidEntry{3, "1100000100.12346_2.oldhost"}));
}

TEST(DovecotUidList, UnknownHeaderFieldsTolerated) {
  auto r = ParseDovecotUidList("3 V5 N2 X99 Z G00ff\n1 :a\n");
  ASSERT_TRUE(r.has_value()) << r.error().ToString();
  EXPECT_EQ(r->uids.uidvalidity, 5u);
  EXPECT_EQ(r->mailbox_guid, "00ff");
}

TEST(DovecotUidList, RejectsBadInput) {
  auto v2 = ParseDovecotUidList("2 5 3\n");
  ASSERT_FALSE(v2.has_value());
  EXPECT_EQ(v2.error().code(), Status::Code::kNotSupported);
  for (const char* bad : {
           "", "junk\n", "3 N5\n", "3 V5\n", "3 V5 N0\n", "3 Vx N5\n", "3 V1 N5 Gzz\n",
           "1 5\n", "3 V1 N5\n1 a\n",        // v3 entry without ':'
           "3 V1 N5\n1 W1 S2\n",               // ext fields but no filename
           "3 V1 N5\n1 :\n",                   // empty filename
           "3 V1 N5\n2 :a\n1 :b\n",            // descending
           "3 V1 N5\n5 :a\n",                  // uid == nextuid
           "3 V1 N5\n1 :a\n2 :a:2,S\n",        // same base twice
           "3 V1 N5\nx :a\n", "3 V1 N5\n1:a\n", "3 V1 N5\n1 :a/b\n",
       }) {
    EXPECT_FALSE(ParseDovecotUidList(bad).has_value()) << bad;
  }
  auto r = ParseDovecotUidList("3 V1 N9\n1 :a\n3 :b\n2 :c\n");
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().ToString().find("dovecot-uidlist line 4"), std::string::npos);
}

TEST(DovecotUidList, EveryPrefixParsesOrFailsCleanly) {
  std::string data = ReadFixture("dovecot-uidlist-v3");
  for (size_t n = 0; n <= data.size(); ++n) {
    auto r = ParseDovecotUidList(std::string_view(data).substr(0, n));
    if (r.has_value()) {
      EXPECT_LE(r->uids.entries.size(), 4u);
    }
  }
}

TEST(DovecotUidList, BasenameStripsOnlyFlagInfo) {
  EXPECT_EQ(DovecotBasename("a:2,S"), "a");
  EXPECT_EQ(DovecotBasename("a"), "a");
  EXPECT_EQ(DovecotBasename("a:1,x"), "a:1,x");
}

}  // namespace
}  // namespace roost::storage::maildir
