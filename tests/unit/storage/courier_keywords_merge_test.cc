#include <gtest/gtest.h>

#include <algorithm>

#include "storage/maildir/courier_keywords.h"

namespace roost::storage::maildir {
namespace {

using Set = std::set<std::string>;
using Rename = std::pair<std::string, std::string>;
constexpr uint64_t kT = 1000;  // now / 300

const char kList[] = "Junk\nWork\n\nm1:0\nm2:0 1\n";

template <typename T>
bool Contains(const std::vector<T>& v, const T& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

TEST(CourierKeywordMerge, NoUpdatesKeepsList) {
  auto r = MergeKeywordUpdates(kList, {}, kT);
  ASSERT_TRUE(r.has_value());
  EXPECT_FALSE(r->list_changed);
  EXPECT_EQ(r->keywords.at("m1"), Set{"Junk"});
  EXPECT_TRUE(r->renames.empty());
  EXPECT_TRUE(r->deletes.empty());
}

TEST(CourierKeywordMerge, PendingUpdateWinsAndIsAged) {
  std::vector<KeywordUpdateFile> updates = {{"m1", "Work\nNew\n"}, {"m3", "Junk\n"}};
  auto r = MergeKeywordUpdates(kList, updates, kT);
  ASSERT_TRUE(r.has_value());
  EXPECT_TRUE(r->list_changed);
  EXPECT_EQ(r->keywords.at("m1"), (Set{"New", "Work"}));
  EXPECT_EQ(r->keywords.at("m2"), (Set{"Junk", "Work"}));
  EXPECT_EQ(r->keywords.at("m3"), Set{"Junk"});
  EXPECT_EQ(r->renames, (std::vector<Rename>{{"m1", ".1001.m1"}, {"m3", ".1001.m3"}}));
  EXPECT_EQ(FormatKeywordList(KeywordListFromMap(r->keywords)),
            "Junk\nNew\nWork\n\nm1:1 2\nm2:0 2\nm3:0\n");
}

TEST(CourierKeywordMerge, EmptyUpdateClearsKeywords) {
  auto r = MergeKeywordUpdates(kList, {{"m2", ""}}, kT);
  ASSERT_TRUE(r.has_value());
  EXPECT_TRUE(r->list_changed);
  EXPECT_EQ(r->keywords.count("m2"), 0u);
}

TEST(CourierKeywordMerge, UnchangedUpdateDoesNotRewriteList) {
  auto r = MergeKeywordUpdates(kList, {{"m1", "Junk\n"}}, kT);
  ASSERT_TRUE(r.has_value());
  EXPECT_FALSE(r->list_changed);
  EXPECT_EQ(r->renames.size(), 1u);  // still aged, so it is not re-read forever
}

TEST(CourierKeywordMerge, PendingBeatsAgedAndNewestAgedBeatsOlder) {
  std::vector<KeywordUpdateFile> updates = {
      {".990.m1", "Old\n"}, {".995.m1", "Newer\n"}, {"m1", "Newest\n"},
      {".990.m2", "A\n"},   {".996.m2", "B\n"}};
  auto r = MergeKeywordUpdates(kList, updates, kT);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->keywords.at("m1"), Set{"Newest"});
  EXPECT_EQ(r->keywords.at("m2"), Set{"B"});
  // m1: of the old aged files only the newest is kept.
  EXPECT_TRUE(Contains(r->deletes, std::string(".990.m1")));
  EXPECT_FALSE(Contains(r->deletes, std::string(".995.m1")));
  EXPECT_TRUE(Contains(r->renames, Rename{"m1", ".1001.m1"}));
  // m2: the older aged file goes, the newest stays.
  EXPECT_TRUE(Contains(r->deletes, std::string(".990.m2")));
  EXPECT_FALSE(Contains(r->deletes, std::string(".996.m2")));
}

TEST(CourierKeywordMerge, RecentAgedFilesAreKept) {
  std::vector<KeywordUpdateFile> updates = {{".999.m1", "A\n"}, {".1001.m1", "B\n"}};
  auto r = MergeKeywordUpdates(kList, updates, kT);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->keywords.at("m1"), Set{"B"});
  EXPECT_TRUE(r->deletes.empty());  // largest N >= T: keep all for now
}

TEST(CourierKeywordMerge, LoneAgedFileRemovedOnceOld) {
  auto old = MergeKeywordUpdates(kList, {{".999.m1", "Junk\n"}}, kT);
  ASSERT_TRUE(old.has_value());
  EXPECT_EQ(old->deletes, std::vector<std::string>{".999.m1"});
  EXPECT_FALSE(old->list_changed);
  auto fresh = MergeKeywordUpdates(kList, {{".1000.m1", "Junk\n"}}, kT);
  ASSERT_TRUE(fresh.has_value());
  EXPECT_TRUE(fresh->deletes.empty());
}

TEST(CourierKeywordMerge, UpdatesForVanishedMessages) {
  std::vector<KeywordUpdateFile> updates = {
      {"gone1", "X\n", /*message_exists=*/false, /*stale=*/true},
      {"gone2", "X\n", /*message_exists=*/false, /*stale=*/false}};
  auto r = MergeKeywordUpdates(kList, updates, kT);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->keywords.count("gone1"), 0u);
  EXPECT_EQ(r->keywords.count("gone2"), 0u);
  EXPECT_EQ(r->deletes, std::vector<std::string>{"gone1"});
  EXPECT_TRUE(r->renames.empty());
}

TEST(CourierKeywordMerge, IgnoresOtherFilesAndReportsBadOnes) {
  auto r = MergeKeywordUpdates(kList, {{":list", "garbage"}, {".tmp", "x"}}, kT);
  ASSERT_TRUE(r.has_value());
  EXPECT_FALSE(r->list_changed);
  // A damaged :list is read leniently and marked for rewriting.
  auto damaged = MergeKeywordUpdates("a\n\nm:7\nn:0\n", {}, kT);
  ASSERT_TRUE(damaged.has_value());
  EXPECT_TRUE(damaged->list_changed);
  EXPECT_EQ(FormatKeywordList(KeywordListFromMap(damaged->keywords)), "a\n\nn:0\n");
  auto bad_update = MergeKeywordUpdates(kList, {{"m1", std::string(kMaxSideFileLine + 1, 'x')}}, kT);
  ASSERT_FALSE(bad_update.has_value());
  EXPECT_NE(bad_update.error().ToString().find("courierimapkeywords/m1"), std::string::npos);
}

}  // namespace
}  // namespace roost::storage::maildir
