// Header block access: field iteration, unfolding, HEADER.FIELDS extraction.
#include <gtest/gtest.h>

#include <vector>

#include "storage/mime/header.h"

namespace roost::storage::mime {
namespace {

constexpr std::string_view kBlock =
    "Received: from a\r\n"
    "\tby b\r\n"
    "Subject: Test\r\n"
    "  folded\r\n"
    "X-Empty:\r\n"
    "not a field line\r\n"
    "subject : second\r\n"
    "\r\n"
    "Body-Looking: not a header\r\n";

TEST(MimeHeaderTest, IteratesFieldsWithFolding) {
  HeaderFieldIterator it(kBlock);
  HeaderField f;
  std::vector<std::string> names;
  while (it.Next(&f)) names.emplace_back(f.name);
  EXPECT_EQ(names, (std::vector<std::string>{"Received", "Subject", "X-Empty", "subject"}));
  HeaderFieldIterator it2(kBlock);
  ASSERT_TRUE(it2.Next(&f));
  EXPECT_EQ(f.raw, "Received: from a\r\n\tby b\r\n");
  EXPECT_EQ(f.value, " from a\r\n\tby b");
}

TEST(MimeHeaderTest, FindAndUnfold) {
  EXPECT_EQ(FindField(kBlock, "SUBJECT"), "Test  folded");
  EXPECT_EQ(FindField(kBlock, "x-empty"), "");
  EXPECT_FALSE(FindField(kBlock, "body-looking").has_value());
  EXPECT_EQ(UnfoldValue(" a\r\n b\n\tc "), "a b\tc");
}

TEST(MimeHeaderTest, HeaderFieldsAndNot) {
  EXPECT_EQ(ExtractFields(kBlock, {"subject"}, false),
            "Subject: Test\r\n  folded\r\nsubject : second\r\n\r\n");
  EXPECT_EQ(ExtractFields(kBlock, {"subject", "received"}, true), "X-Empty:\r\n\r\n");
  EXPECT_EQ(ExtractFields(kBlock, {"nothing"}, false), "\r\n");
}

TEST(MimeHeaderTest, BareLfIsNormalisedToCrlf) {
  std::string_view lf = "A: 1\nB: 2\n continued\n\n";
  EXPECT_EQ(ExtractFields(lf, {"b"}, false), "B: 2\r\n continued\r\n\r\n");
  // A block cut off without a final line break still yields a full line.
  EXPECT_EQ(ExtractFields("A: 1\nB: 2", {"b"}, false), "B: 2\r\n\r\n");
}

TEST(MimeHeaderTest, FieldNameRules) {
  EXPECT_EQ(FieldNameLength("Subject: x"), 7u);
  EXPECT_EQ(FieldNameLength("Subject  : x"), 7u);
  EXPECT_EQ(FieldNameLength("X-\xc3\xa9: 8bit name"), 4u);
  EXPECT_FALSE(FieldNameLength(": x").has_value());
  EXPECT_FALSE(FieldNameLength("no colon").has_value());
  EXPECT_FALSE(FieldNameLength("two words: x").has_value());
  EXPECT_FALSE(FieldNameLength(" indented: x").has_value());
}

}  // namespace
}  // namespace roost::storage::mime
