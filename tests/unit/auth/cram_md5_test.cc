#include "auth/cram_md5.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <string>

#include "auth/encoding.h"

namespace roost::auth {
namespace {

std::string Hmac(std::string_view key, std::string_view msg) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_md5(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(msg.data()),
       msg.size(), out, &len);
  return std::string(reinterpret_cast<const char*>(out), len);
}

TEST(CramMd5Test, Rfc2195Example) {
  // RFC 2195 §2: secret "tanstaaftanstaaf".
  std::string context = CramMd5Precompute("tanstaaftanstaaf");
  ASSERT_EQ(context.size(), kCramMd5ContextSize);
  constexpr std::string_view kChallenge = "<1896.697170952@postoffice.reston.mci.net>";
  Result<std::string> digest = CramMd5Digest(context, kChallenge);
  ASSERT_TRUE(digest.has_value());
  EXPECT_EQ(HexEncode(*digest), "b913a602c7eda7a495b4e6e7334d3890");
  EXPECT_TRUE(CramMd5Verify(context, kChallenge, "b913a602c7eda7a495b4e6e7334d3890"));
  EXPECT_TRUE(CramMd5Verify(context, kChallenge, "B913A602C7EDA7A495B4E6E7334D3890"));
  EXPECT_FALSE(CramMd5Verify(context, kChallenge, "b913a602c7eda7a495b4e6e7334d3891"));
  EXPECT_FALSE(CramMd5Verify(context, kChallenge, "b913a602"));
  EXPECT_FALSE(CramMd5Verify(context, kChallenge, "not hex"));
  EXPECT_FALSE(CramMd5Verify(context, "<other@challenge>", "b913a602c7eda7a495b4e6e7334d3890"));
}

TEST(CramMd5Test, MatchesOpenSslHmacForShortLongAndEmptyKeys) {
  const std::string keys[] = {"", "k", std::string(64, 'x'), std::string(65, 'y'), std::string(200, 'z')};
  const std::string challenges[] = {"", "<1.2@host>", std::string(100, 'c'), std::string(1000, 'd')};
  for (const std::string& key : keys) {
    for (const std::string& challenge : challenges) {
      Result<std::string> digest = CramMd5Digest(CramMd5Precompute(key), challenge);
      ASSERT_TRUE(digest.has_value());
      EXPECT_EQ(*digest, Hmac(key, challenge)) << key.size() << "/" << challenge.size();
    }
  }
}

TEST(CramMd5Test, WrongSizedContextIsAnError) {
  EXPECT_FALSE(CramMd5Digest("short", "x").has_value());
  EXPECT_FALSE(CramMd5Verify("short", "x", "00"));
}

}  // namespace
}  // namespace roost::auth
