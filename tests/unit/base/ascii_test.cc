#include "base/ascii.h"

#include <gtest/gtest.h>

namespace roost {
namespace {

static_assert(AsciiEqualsIgnoreCase("StartTLS", "STARTTLS"));

TEST(AsciiTest, FoldsOnlyAsciiLetters) {
  EXPECT_TRUE(AsciiEqualsIgnoreCase("StartTLS", "STARTTLS"));
  EXPECT_FALSE(AsciiEqualsIgnoreCase("NOOP", "NOOPS"));
  // '[' and '{' differ from '{' and '[' by 0x20 too; only A-Z fold.
  EXPECT_FALSE(AsciiEqualsIgnoreCase("[", "{"));
  EXPECT_FALSE(AsciiEqualsIgnoreCase("\xc3\x89", "\xc3\xa9"));
  EXPECT_EQ(AsciiLowercase("Content-Type: TEXT/Plain"), "content-type: text/plain");
  EXPECT_EQ(AsciiLower('@'), '@');
}

}  // namespace
}  // namespace roost
