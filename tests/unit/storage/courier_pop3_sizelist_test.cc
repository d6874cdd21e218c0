#include "storage/maildir/courier_pop3_sizelist.h"

#include <gtest/gtest.h>

#include "unit/storage/maildir_fixture.h"

namespace roost::storage::maildir {
namespace {

TEST(Pop3SizeList, Version3RoundTripsByteExact) {
  std::string data = testing::ReadFixture("courierpop3dsizelist-v3");
  auto l = ParsePop3SizeList(data);
  ASSERT_TRUE(l.has_value()) << l.error().ToString();
  EXPECT_EQ(l->version, 3);
  EXPECT_EQ(l->nextuid, 5u);
  EXPECT_EQ(l->uidv, 1700000000u);
  ASSERT_EQ(l->entries.size(), 3u);
  EXPECT_EQ(l->entries[1],
            (Pop3SizeEntry{"1700000050.M2P2.host,S=20:2,", 24, 2, 1700000000, true}));
  EXPECT_EQ(FormatPop3SizeList(*l), data);
}

TEST(Pop3SizeList, Version2UpgradedToVersion3) {
  auto l = ParsePop3SizeList(testing::ReadFixture("courierpop3dsizelist-v2"));
  ASSERT_TRUE(l.has_value()) << l.error().ToString();
  EXPECT_EQ(l->version, 2);
  ASSERT_EQ(l->entries.size(), 2u);
  EXPECT_EQ(l->entries[0], (Pop3SizeEntry{"1050000000.M1P1.host:2,S", 1502, 1, 1050000000, false}));
  EXPECT_EQ(FormatPop3SizeList(*l),
            "/3 4 1050000000\n"
            "1050000000.M1P1.host:2,S 1502 1:1050000000:0\n"
            "1050000100.M2P2.host:2, 2210 3:1050000000:0\n");
}

TEST(Pop3SizeList, Malformed) {
  auto v9 = ParsePop3SizeList("/9 1 2\n");
  ASSERT_FALSE(v9.has_value());
  EXPECT_EQ(v9.error().code(), Status::Code::kNotSupported);
  for (const char* bad : {"", "x\n", "/3\n", "/3 a 2\n", "/3 1 x\n", "/3 1 2 3\n"}) {
    EXPECT_FALSE(ParsePop3SizeList(bad).has_value()) << bad;
  }
  // Bad entries are skipped, as Courier does; the rest keep their UIDLs.
  for (const char* bad_entry : {"name 1", "name x 1:2", "name 1 1", "name 1 1:x", "name 1 1:2:3",
                                " 1 1:2", "a/b 1 1:2", "name 1 :2"}) {
    auto r = ParsePop3SizeList(std::string("/3 9 1\nok 1 1:1:0\n") + bad_entry + "\nok2 2 2:1:1\n");
    ASSERT_TRUE(r.has_value()) << bad_entry;
    EXPECT_EQ(r->dropped, 1u) << bad_entry;
    ASSERT_EQ(r->entries.size(), 2u) << bad_entry;
    EXPECT_EQ(r->entries[1].filename, "ok2");
  }
  auto long_line = ParsePop3SizeList("/3 5 1\n" + std::string(kMaxSideFileLine + 1, 'a') + "\n");
  ASSERT_FALSE(long_line.has_value());
  EXPECT_NE(long_line.error().ToString().find("courierpop3dsizelist line 2"), std::string::npos);
}

TEST(Pop3SizeList, HeaderWithoutUidv) {
  auto r = ParsePop3SizeList("/3 7\n");
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->nextuid, 7u);
  EXPECT_FALSE(r->uidv_present);
}

TEST(Pop3SizeList, EveryPrefixParsesOrFailsCleanly) {
  std::string data = testing::ReadFixture("courierpop3dsizelist-v3");
  for (size_t n = 0; n <= data.size(); ++n) {
    auto r = ParsePop3SizeList(std::string_view(data).substr(0, n));
    if (r.has_value()) {
      EXPECT_LE(r->entries.size(), 3u);
    }
  }
}

TEST(Pop3Uidl, Formats) {
  EXPECT_EQ(FormatUidl(42, 1700000000), "UID42-1700000000");
  EXPECT_EQ(FormatUidl(42, 0), "UID42");
  EXPECT_EQ(FormatLegacyUidl("1050000000.12345_1.host:2,S"), "1050000000.12345_1.host");
  EXPECT_EQ(FormatLegacyUidl("a b'c\"d+e\x80"), "a+20b+27c+22d+2Be+80");
  EXPECT_EQ(FormatLegacyUidl("plain"), "plain");
  EXPECT_EQ(FormatLegacyUidl("a:b:2,S"), "a");  // up to the first ':'
  // A filename with spaces survives the list round trip.
  Pop3SizeList l;
  l.entries.push_back({"odd name:2,S", 10, 0, 0, false});
  auto back = ParsePop3SizeList(FormatPop3SizeList(l));
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->entries, l.entries);
}

}  // namespace
}  // namespace roost::storage::maildir
