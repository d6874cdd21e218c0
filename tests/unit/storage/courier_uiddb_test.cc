#include "storage/maildir/courier_uiddb.h"

#include <gtest/gtest.h>

#include "unit/storage/maildir_fixture.h"

namespace roost::storage::maildir {
namespace {

using testing::ReadFixture;

TEST(CourierUidDb, ParsesFixtureAndRoundTripsByteExact) {
  std::string data = ReadFixture("courierimapuiddb");
  ASSERT_FALSE(data.empty());
  auto list = ParseCourierUidDb(data);
  ASSERT_TRUE(list.has_value()) << list.error().ToString();
  EXPECT_EQ(list->uidvalidity, 733843200u);
  EXPECT_EQ(list->nextuid, 6u);
  ASSERT_EQ(list->entries.size(), 3u);
  EXPECT_EQ(list->entries[0].uid, 1u);
  EXPECT_EQ(list->entries[0].basename,
            "1700000000.M123456P4242V0000000000000803I00000000000a1b2c_0.mail.example.com,S=2048");
  EXPECT_EQ(list->entries[2].uid, 5u);
  EXPECT_EQ(list->entries[2].basename, "1700000100.M77P100.host\\0572,S=512");
  EXPECT_EQ(FormatCourierUidDb(*list), data);
}

TEST(CourierUidDb, TrailingNewlineOptional) {
  auto a = ParseCourierUidDb("1 5 3\n1 a\n2 b");
  auto b = ParseCourierUidDb("1 5 3\n1 a\n2 b\n");
  ASSERT_TRUE(a.has_value());
  ASSERT_TRUE(b.has_value());
  EXPECT_EQ(*a, *b);
  auto empty = ParseCourierUidDb("1 5 1\n");
  ASSERT_TRUE(empty.has_value());
  EXPECT_TRUE(empty->entries.empty());
}

TEST(CourierUidDb, RejectsOtherVersions) {
  auto r = ParseCourierUidDb("2 5 3\n1 a\n");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), Status::Code::kNotSupported);
}

TEST(CourierUidDb, MalformedInputsReportLine) {
  struct Case { const char* data; const char* needle; };
  for (const Case& c : {
           Case{"", "empty"},
           Case{"x 1 2\n", "line 1"},
           Case{"1 5\n", "line 1"},
           Case{"1 5 0\n", "line 1"},
           Case{"1 5 x\n", "line 1"},
           Case{"1 99999999999 3\n", "line 1"},
           Case{"1 5 9\n3 a\n2 b\n", "line 3: uids not ascending"},
           Case{"1 5 9\n3 a\n3 b\n", "line 3: uids not ascending"},
           Case{"1 5 3\n1 a\n3 b\n", "line 3: uid not below nextuid"},
           Case{"1 5 9\n0 a\n", "line 2: bad uid"},
           Case{"1 5 9\n1\n", "line 2"},
           Case{"1 5 9\n1 \n", "line 2"},
           Case{"1 5 9\n1 a/b\n", "line 2"},
           Case{"1 5 9\n1 a\n2 a\n", "line 3: duplicate basename"},
           Case{"1 5 9\n1 a\n\n", "line 3"},
       }) {
    auto r = ParseCourierUidDb(c.data);
    ASSERT_FALSE(r.has_value()) << c.data;
    EXPECT_NE(r.error().ToString().find(c.needle), std::string::npos)
        << c.data << " -> " << r.error().ToString();
  }
}

TEST(CourierUidDb, Limits) {
  std::string data = "1 5 100\n";
  for (int i = 1; i <= 10; ++i) data += std::to_string(i) + " m" + std::to_string(i) + "\n";
  EXPECT_TRUE(ParseCourierUidDb(data, 10).has_value());
  auto r = ParseCourierUidDb(data, 9);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), Status::Code::kResourceExhausted);
  auto long_line = ParseCourierUidDb("1 5 100\n1 " + std::string(kMaxSideFileLine, 'x') + "\n");
  ASSERT_FALSE(long_line.has_value());
  EXPECT_NE(long_line.error().ToString().find("line 2: line too long"), std::string::npos);
}

TEST(CourierUidDb, EveryPrefixParsesOrFailsCleanly) {
  std::string data = ReadFixture("courierimapuiddb");
  for (size_t n = 0; n <= data.size(); ++n) {
    auto r = ParseCourierUidDb(std::string_view(data).substr(0, n));
    if (r.has_value()) {
      EXPECT_LE(r->entries.size(), 3u);
    }
  }
}

TEST(CourierUidDb, NewUidValidityUsesImapEpoch) {
  EXPECT_EQ(NewUidValidity(1'700'000'000), 700'000'000u);
  EXPECT_EQ(NewUidValidity(1'000'000'001), 1u);
  EXPECT_EQ(NewUidValidity(5), 1u);  // clock before 2001: still a legal value
  EXPECT_EQ(NewUidValidity(static_cast<std::time_t>(1'000'000'000) + 5'000'000'000LL), UINT32_MAX);
}

}  // namespace
}  // namespace roost::storage::maildir
