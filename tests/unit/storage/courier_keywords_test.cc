#include "storage/maildir/courier_keywords.h"

#include <gtest/gtest.h>

#include "unit/storage/maildir_fixture.h"

namespace roost::storage::maildir {
namespace {

using Set = std::set<std::string>;

TEST(CourierKeywordList, ParsesFixtureAndRoundTrips) {
  std::string data = testing::ReadFixture("courier-keywords-list");
  auto list = ParseKeywordList(data);
  ASSERT_TRUE(list.has_value()) << list.error().ToString();
  EXPECT_EQ(list->names, (std::vector<std::string>{"$Forwarded", "Junk", "NonJunk"}));
  ASSERT_EQ(list->entries.size(), 3u);
  EXPECT_EQ(list->entries[0].basename, "1700000000.M1P1.host,S=10");
  EXPECT_EQ(list->entries[0].indexes, (std::vector<uint32_t>{0, 2}));
  EXPECT_EQ(FormatKeywordList(*list), data);

  KeywordMap map = KeywordMapFromList(*list);
  EXPECT_EQ(map["1700000000.M1P1.host,S=10"], (Set{"$Forwarded", "NonJunk"}));
  EXPECT_EQ(map["1700000050.M2P2.host,S=20"], (Set{"Junk"}));
  // The fixture is in Courier's canonical order, so map -> list -> text is
  // byte-identical too.
  EXPECT_EQ(FormatKeywordList(KeywordListFromMap(map)), data);
}

TEST(CourierKeywordList, EmptyAndMalformed) {
  auto empty = ParseKeywordList("");
  ASSERT_TRUE(empty.has_value());
  EXPECT_TRUE(empty->names.empty());
  EXPECT_EQ(FormatKeywordList(KeywordListFromMap({})), "");
  auto names_only = ParseKeywordList("a\nb\n");
  ASSERT_TRUE(names_only.has_value());
  EXPECT_EQ(names_only->names.size(), 2u);
  EXPECT_EQ(names_only->dropped, 0u);
  // Damage is dropped line by line, as Courier does, and counted.
  for (const char* bad : {"a\n\nmsg\n", "a\n\n:0\n", "a\n\nx/y:0\n"}) {
    auto r = ParseKeywordList(bad);
    ASSERT_TRUE(r.has_value()) << bad;
    EXPECT_TRUE(r->entries.empty()) << bad;
    EXPECT_EQ(r->dropped, 1u) << bad;
  }
  auto r = ParseKeywordList("a\nb\n\nm1:0\nm2:0 5 x 1\n");
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->dropped, 2u);
  ASSERT_EQ(r->entries.size(), 2u);
  EXPECT_EQ(r->entries[1].indexes, (std::vector<uint32_t>{0, 1}));
  // The basename ends at the first ':' (Courier writes it up to MDIRSEP).
  auto colon = ParseKeywordList("a\n\nm:2,S:0\n");
  ASSERT_TRUE(colon.has_value());
  EXPECT_EQ(colon->entries[0].basename, "m");
  EXPECT_EQ(colon->dropped, 1u);  // "2,S:0" is not an index
  auto long_line = ParseKeywordList("a\n\n" + std::string(kMaxSideFileLine + 1, 'm') + ":0\n");
  ASSERT_FALSE(long_line.has_value());
  EXPECT_NE(long_line.error().ToString().find(":list line 3: line too long"), std::string::npos);
}

TEST(CourierKeywordList, MapFormattingIsCanonical) {
  KeywordMap map;
  map["m2"] = {"zeta", "alpha"};
  map["m1"] = {"beta"};
  map["m3"] = {};
  EXPECT_EQ(FormatKeywordList(KeywordListFromMap(map)), "alpha\nbeta\nzeta\n\nm1:1\nm2:0 2\n");
}

TEST(CourierKeywordUpdate, ParseAndFormat) {
  auto kw = ParseKeywordUpdate("Junk\n$Forwarded\n\n");
  ASSERT_TRUE(kw.has_value());
  EXPECT_EQ(*kw, (Set{"$Forwarded", "Junk"}));
  EXPECT_EQ(FormatKeywordUpdate(*kw), "$Forwarded\nJunk\n");
  auto none = ParseKeywordUpdate("");
  ASSERT_TRUE(none.has_value());
  EXPECT_TRUE(none->empty());
  EXPECT_EQ(FormatKeywordUpdate({}), "");
  EXPECT_FALSE(ParseKeywordUpdate("a\nb\nc\n", 2).has_value());
  // Reading stops at the first blank line, as in Courier.
  EXPECT_EQ(*ParseKeywordUpdate("a\n\nb\n"), Set{"a"});
}

TEST(CourierKeywords, Sanitise) {
  EXPECT_EQ(SanitizeImapKeyword("a b(c)d{e%f*g\"h\\i]j"), "a_b_c_d_e_f_g_h_i_j");
  EXPECT_EQ(SanitizeImapKeyword("$Label[1]"), "$Label[1_");
  EXPECT_EQ(SanitizeImapKeyword("x\ny\x7f"), "x_y_");
}

TEST(CourierKeywords, ClassifyFileNames) {
  EXPECT_EQ(ClassifyKeywordFile(":list").kind, KeywordFileName::Kind::kList);
  auto p = ClassifyKeywordFile("1700.M1P1.host");
  EXPECT_EQ(p.kind, KeywordFileName::Kind::kPending);
  EXPECT_EQ(p.basename, "1700.M1P1.host");
  auto a = ClassifyKeywordFile(".5668001.1700.M1P1.host");
  EXPECT_EQ(a.kind, KeywordFileName::Kind::kAged);
  EXPECT_EQ(a.n, 5668001u);
  EXPECT_EQ(a.basename, "1700.M1P1.host");
  using namespace std::string_view_literals;
  for (std::string_view other : {"."sv, ".."sv, ".x.y"sv, ".5."sv, ".5"sv, ":tmp"sv, ""sv, "a\nb"sv,
                                 ".5.a/b"sv, "a\0b"sv, ".0.m"sv, ".tmp.1700000000.x"sv}) {
    EXPECT_EQ(ClassifyKeywordFile(other).kind, KeywordFileName::Kind::kOther) << other;
  }
  EXPECT_EQ(AgedKeywordFileName(12, "m"), ".12.m");
}

TEST(CourierKeywordList, EveryPrefixParsesOrFailsCleanly) {
  std::string data = testing::ReadFixture("courier-keywords-list");
  for (size_t n = 0; n <= data.size(); ++n) {
    auto r = ParseKeywordList(std::string_view(data).substr(0, n));
    if (r.has_value()) {
      EXPECT_LE(r->entries.size(), 3u);
    }
  }
}

}  // namespace
}  // namespace roost::storage::maildir
