#include "storage/maildir/courier_subscribed.h"

#include <gtest/gtest.h>

#include "unit/storage/maildir_fixture.h"

namespace roost::storage::maildir {
namespace {

TEST(CourierSubscribed, RoundTripsFixture) {
  std::string data = testing::ReadFixture("courierimapsubscribed");
  auto names = ParseSubscribed(data);
  ASSERT_TRUE(names.has_value()) << names.error().ToString();
  ASSERT_EQ(names->size(), 5u);
  EXPECT_EQ((*names)[3], "INBOX.Archive.2023");
  EXPECT_EQ((*names)[4], "INBOX.Entw\xc3\xbcrfe");
  EXPECT_EQ(FormatSubscribed(*names), data);
}

TEST(CourierSubscribed, ToleratesBlankLinesAndMissingNewline) {
  auto names = ParseSubscribed("\nINBOX\n\nINBOX.a");
  ASSERT_TRUE(names.has_value());
  EXPECT_EQ(*names, (std::vector<std::string>{"INBOX", "INBOX.a"}));
  EXPECT_TRUE(ParseSubscribed("")->empty());
}

TEST(CourierSubscribed, Limits) {
  EXPECT_FALSE(ParseSubscribed(std::string(kMaxSubscriptionLine + 1, 'a')).has_value());
  EXPECT_FALSE(ParseSubscribed("a\nb\nc\n", 2).has_value());
  auto nul = ParseSubscribed(std::string("a\nb\0c\n", 6));
  ASSERT_FALSE(nul.has_value());
  EXPECT_NE(nul.error().ToString().find("line 2"), std::string::npos);
}

TEST(CourierSubscribed, EveryPrefixParsesOrFailsCleanly) {
  std::string data = testing::ReadFixture("courierimapsubscribed");
  for (size_t n = 0; n <= data.size(); ++n) {
    auto r = ParseSubscribed(std::string_view(data).substr(0, n));
    ASSERT_TRUE(r.has_value());
    EXPECT_LE(r->size(), 5u);
  }
}

}  // namespace
}  // namespace roost::storage::maildir
