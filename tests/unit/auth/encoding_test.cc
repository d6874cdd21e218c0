#include "auth/encoding.h"

#include <gtest/gtest.h>

namespace roost::auth {
namespace {

TEST(EncodingTest, Base64RoundTripsAllPaddings) {
  for (std::string_view s : {"", "f", "fo", "foo", "foob", "fooba", "foobar"}) {
    std::string encoded = Base64Encode(s);
    EXPECT_EQ(encoded.size() % 4, 0u);
    EXPECT_EQ(Base64Decode(encoded).value_or("<bad>"), s);
  }
  EXPECT_EQ(Base64Encode("foobar"), "Zm9vYmFy");  // RFC 4648 §10
  EXPECT_EQ(Base64Encode("fo"), "Zm8=");
}

TEST(EncodingTest, Base64RejectsMalformedInput) {
  for (std::string_view s : {"Zm8", "Zm=8", "Z===", "Zm9v\nYmFy", " Zm8=", "Zm8*", "===="}) {
    EXPECT_FALSE(Base64Decode(s).has_value()) << s;
  }
}

TEST(EncodingTest, Hex) {
  EXPECT_EQ(HexEncode(std::string("\x00\xff\x10", 3)), "00ff10");
  EXPECT_EQ(HexDecode("00FF10").value_or("?"), std::string("\x00\xff\x10", 3));
  EXPECT_FALSE(HexDecode("abc").has_value());
  EXPECT_FALSE(HexDecode("zz").has_value());
}

}  // namespace
}  // namespace roost::auth
