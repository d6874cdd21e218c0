#include "storage/maildir/mutf7.h"

#include <gtest/gtest.h>

#include <random>

namespace roost::storage::maildir {
namespace {

std::string Enc(std::string_view s) {
  auto r = Utf8ToMutf7(s);
  return r.has_value() ? *r : "<error>";
}
std::string Dec(std::string_view s) {
  auto r = Mutf7ToUtf8(s);
  return r.has_value() ? *r : "<error>";
}

TEST(Mutf7, Rfc3501Examples) {
  // RFC 3501 §5.1.3: "~peter/mail/&U,BTFw-/&ZeVnLIqe-" (Japanese).
  std::string utf8 = "~peter/mail/\xe5\x8f\xb0\xe5\x8c\x97/\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e";
  EXPECT_EQ(Enc(utf8), "~peter/mail/&U,BTFw-/&ZeVnLIqe-");
  EXPECT_EQ(Dec("~peter/mail/&U,BTFw-/&ZeVnLIqe-"), utf8);
  EXPECT_EQ(Enc("&"), "&-");
  EXPECT_EQ(Dec("&-"), "&");
  EXPECT_EQ(Enc("Entw\xc3\xbcrfe"), "Entw&APw-rfe");
  EXPECT_EQ(Dec("Entw&APw-rfe"), "Entw\xc3\xbcrfe");
  EXPECT_EQ(Enc(""), "");
}

TEST(Mutf7, SurrogatePairs) {
  std::string grin = "\xf0\x9f\x98\x80";  // U+1F600
  EXPECT_EQ(Enc(grin), "&2D3eAA-");
  EXPECT_EQ(Dec("&2D3eAA-"), grin);
}

TEST(Mutf7, RejectsNonCanonicalAndBroken) {
  for (std::string_view bad : {
           "&",            // unterminated shift
           "&U,BTFw",      // unterminated shift
           "&AGE-",        // 'a' must be direct
           "&ACY-",        // '&' must be "&-"
           "&U,BTFw-&ZeVnLIqe-",  // adjacent shifts must be merged
           "&U,BTFx-",     // non-zero padding bits
           "&APwA-",       // extra base64 character
           "&AP-",         // too short for one unit
           "&A/w-",        // '/' is not modified base64
           "&2D3-",        // truncated surrogate
           "&2D0-",        // lone high surrogate
           "&3gA-",        // lone low surrogate
           "&AAA-",        // NUL
           "a\x80",        // 8-bit byte
           "a\tb",         // control character outside base64
       }) {
    EXPECT_FALSE(Mutf7ToUtf8(bad).has_value()) << bad;
  }
}

TEST(Mutf7, EncoderRejectsInvalidUtf8) {
  EXPECT_FALSE(Utf8ToMutf7("\xff").has_value());
  EXPECT_FALSE(Utf8ToMutf7("\xed\xa0\x80").has_value());  // surrogate in UTF-8
  EXPECT_FALSE(Utf8ToMutf7(std::string("a\0", 2)).has_value());
}

TEST(Mutf7, ControlCharactersAreShifted) {
  EXPECT_EQ(Enc("a\tb"), "a&AAk-b");
  EXPECT_EQ(Dec("a&AAk-b"), "a\tb");
}

// Property: for random code point strings, decode(encode(x)) == x, and the
// encoding is canonical: encode(decode(y)) == y.
TEST(Mutf7, RandomRoundTrip) {
  std::mt19937 rng(12345);
  std::uniform_int_distribution<int> kind(0, 4);
  std::uniform_int_distribution<uint32_t> ascii(0x20, 0x7E), bmp(0x80, 0xD7FF),
      astral(0x10000, 0x10FFFF), ctl(1, 0x1F);
  for (int iter = 0; iter < 2000; ++iter) {
    std::u32string cps;
    int len = iter % 12;
    for (int i = 0; i < len; ++i) {
      switch (kind(rng)) {
        case 0: case 1: cps.push_back(ascii(rng)); break;
        case 2: cps.push_back(bmp(rng)); break;
        case 3: cps.push_back(astral(rng)); break;
        default: cps.push_back(ctl(rng)); break;
      }
    }
    std::string utf8;
    for (char32_t cp : cps) {
      uint32_t c = cp;
      if (c < 0x80) { utf8 += static_cast<char>(c); }
      else if (c < 0x800) { utf8 += static_cast<char>(0xC0 | (c >> 6)); utf8 += static_cast<char>(0x80 | (c & 0x3F)); }
      else if (c < 0x10000) { utf8 += static_cast<char>(0xE0 | (c >> 12)); utf8 += static_cast<char>(0x80 | ((c >> 6) & 0x3F)); utf8 += static_cast<char>(0x80 | (c & 0x3F)); }
      else { utf8 += static_cast<char>(0xF0 | (c >> 18)); utf8 += static_cast<char>(0x80 | ((c >> 12) & 0x3F)); utf8 += static_cast<char>(0x80 | ((c >> 6) & 0x3F)); utf8 += static_cast<char>(0x80 | (c & 0x3F)); }
    }
    auto enc = Utf8ToMutf7(utf8);
    ASSERT_TRUE(enc.has_value());
    for (char c : *enc) ASSERT_TRUE(c >= 0x20 && c <= 0x7E);
    auto dec = Mutf7ToUtf8(*enc);
    ASSERT_TRUE(dec.has_value()) << *enc;
    EXPECT_EQ(*dec, utf8);
  }
}

TEST(Mutf7, RandomAsciiInputsDecodeCanonicallyOrFail) {
  std::mt19937 rng(777);
  const std::string alphabet = "&-AB,+/az09 ";
  std::uniform_int_distribution<size_t> pick(0, alphabet.size() - 1);
  for (int iter = 0; iter < 5000; ++iter) {
    std::string s;
    for (int i = 0; i < iter % 10; ++i) s += alphabet[pick(rng)];
    auto dec = Mutf7ToUtf8(s);
    if (!dec.has_value()) continue;
    auto enc = Utf8ToMutf7(*dec);
    ASSERT_TRUE(enc.has_value());
    EXPECT_EQ(*enc, s);
  }
}

}  // namespace
}  // namespace roost::storage::maildir
