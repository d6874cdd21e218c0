#include "storage/maildir/dovecot_keywords.h"

#include <gtest/gtest.h>

#include "storage/maildir/maildir_filename.h"
#include "unit/storage/maildir_fixture.h"

namespace roost::storage::maildir {
namespace {

TEST(DovecotKeywords, ParsesFixtureAndRoundTrips) {
  std::string data = testing::ReadFixture("dovecot-keywords");
  auto kw = ParseDovecotKeywords(data);
  ASSERT_TRUE(kw.has_value()) << kw.error().ToString();
  EXPECT_EQ(kw->names[0], "$Forwarded");
  EXPECT_EQ(kw->names[1], "Junk");
  EXPECT_EQ(kw->names[2], "$label1");
  EXPECT_TRUE(kw->names[3].empty());
  EXPECT_EQ(FormatDovecotKeywords(*kw), data);
}

TEST(DovecotKeywords, FilenameLettersMapToKeywords) {
  auto kw = ParseDovecotKeywords(testing::ReadFixture("dovecot-keywords"));
  ASSERT_TRUE(kw.has_value());
  auto name = ParseMaildirFilename("1606213600.M3P3.host,S=10,W=12:2,FSac");
  ASSERT_TRUE(name.has_value());
  EXPECT_EQ(KeywordsFromFlagLetters(name->unknown_flags, *kw),
            (std::vector<std::string>{"$Forwarded", "$label1"}));
  // "...:2,Sa" means keyword 0.
  auto sa = ParseMaildirFilename("x:2,Sa");
  ASSERT_TRUE(sa.has_value());
  EXPECT_EQ(KeywordsFromFlagLetters(sa->unknown_flags, *kw), std::vector<std::string>{"$Forwarded"});
  // Unused index 'z' and uppercase letters are ignored.
  EXPECT_TRUE(KeywordsFromFlagLetters("zP", *kw).empty());
}

TEST(DovecotKeywords, LetterMapping) {
  EXPECT_EQ(KeywordIndexFromLetter('a'), 0u);
  EXPECT_EQ(KeywordIndexFromLetter('z'), 25u);
  EXPECT_FALSE(KeywordIndexFromLetter('A').has_value());
  EXPECT_FALSE(KeywordIndexFromLetter('{').has_value());
  EXPECT_EQ(LetterFromKeywordIndex(0), 'a');
  EXPECT_EQ(LetterFromKeywordIndex(25), 'z');
}

TEST(DovecotKeywords, MalformedAndOutOfRange) {
  auto high = ParseDovecotKeywords("0 a\n26 toohigh\n");
  ASSERT_TRUE(high.has_value());
  EXPECT_EQ(FormatDovecotKeywords(*high), "0 a\n");
  for (const char* bad : {"x a\n", "0\n", "0 \n", "0 a\n0 b\n", "-1 a\n"}) {
    EXPECT_FALSE(ParseDovecotKeywords(bad).has_value()) << bad;
  }
  auto r = ParseDovecotKeywords("0 a\n1 b\nbad\n");
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().ToString().find("dovecot-keywords line 3"), std::string::npos);
  EXPECT_TRUE(ParseDovecotKeywords("").has_value());
}

}  // namespace
}  // namespace roost::storage::maildir
