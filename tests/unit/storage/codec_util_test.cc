#include "storage/maildir/codec_util.h"

#include <gtest/gtest.h>

namespace roost::storage::maildir {
namespace {

TEST(CodecUtil, SplitLines) {
  EXPECT_EQ(*SplitLines("a\nb\n", "f", 10, 10), (std::vector<std::string_view>{"a", "b"}));
  EXPECT_EQ(*SplitLines("a\nb", "f", 10, 10), (std::vector<std::string_view>{"a", "b"}));
  EXPECT_EQ(*SplitLines("a\n\n", "f", 10, 10), (std::vector<std::string_view>{"a", ""}));
  EXPECT_TRUE(SplitLines("", "f", 10, 10)->empty());
  auto too_long = SplitLines("ok\n12345678901\n", "file", 10, 10);
  ASSERT_FALSE(too_long.has_value());
  EXPECT_EQ(too_long.error().message(), "file line 2: line too long");
  auto too_many = SplitLines("a\nb\nc\n", "f", 10, 2);
  ASSERT_FALSE(too_many.has_value());
  EXPECT_EQ(too_many.error().code(), Status::Code::kResourceExhausted);
}

TEST(CodecUtil, Numbers) {
  EXPECT_EQ(ParseU64("0"), 0u);
  EXPECT_EQ(ParseU64("18446744073709551615"), UINT64_MAX);
  EXPECT_FALSE(ParseU64("18446744073709551616").has_value());
  EXPECT_FALSE(ParseU64("").has_value());
  EXPECT_FALSE(ParseU64("+1").has_value());
  EXPECT_FALSE(ParseU64("-1").has_value());
  EXPECT_FALSE(ParseU64("1 ").has_value());
  EXPECT_EQ(ParseI64("-9223372036854775808"), INT64_MIN);
  EXPECT_FALSE(ParseI64("-").has_value());
  EXPECT_FALSE(ParseI64("--1").has_value());
  EXPECT_EQ(ParseU32("4294967295"), UINT32_MAX);
  EXPECT_FALSE(ParseU32("4294967296").has_value());
}

TEST(CodecUtil, SplitFields) {
  EXPECT_EQ(SplitFields("a b c", 0), (std::vector<std::string_view>{"a", "b", "c"}));
  EXPECT_EQ(SplitFields("a b c", 2), (std::vector<std::string_view>{"a", "b c"}));
  EXPECT_EQ(SplitFields("a ", 0), (std::vector<std::string_view>{"a", ""}));
  EXPECT_EQ(SplitFields("", 0), (std::vector<std::string_view>{""}));
}

TEST(CodecUtil, Utf8Validation) {
  EXPECT_TRUE(IsValidUtf8("plain"));
  EXPECT_TRUE(IsValidUtf8("\xc3\xbc\xe2\x82\xac\xf0\x9f\x98\x80"));
  EXPECT_FALSE(IsValidUtf8("\xc0\xaf"));          // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xe0\x80\xaf"));      // overlong
  EXPECT_FALSE(IsValidUtf8("\xed\xa0\x80"));      // surrogate
  EXPECT_FALSE(IsValidUtf8("\xf4\x90\x80\x80"));  // > U+10FFFF
  EXPECT_FALSE(IsValidUtf8("\xc3"));              // truncated
  EXPECT_FALSE(IsValidUtf8("\x80"));              // stray continuation
  EXPECT_FALSE(IsValidUtf8("\xf8\x88\x80\x80\x80"));
}

}  // namespace
}  // namespace roost::storage::maildir
