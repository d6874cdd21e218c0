// MD5_CTX's chaining variables are needed to resume from a saved state; the
// API is deprecated in OpenSSL 3 but present, and EVP offers no equivalent.
#define OPENSSL_SUPPRESS_DEPRECATED 1

#include "auth/cram_md5.h"

#include <openssl/crypto.h>
#include <openssl/md5.h>

#include <cstdint>

#include "auth/encoding.h"

namespace roost::auth {
namespace {

constexpr size_t kBlock = 64;

void PutWords(const MD5_CTX& ctx, std::string& out) {
  for (uint32_t word : {ctx.A, ctx.B, ctx.C, ctx.D}) {
    for (int shift = 0; shift < 32; shift += 8) out.push_back(static_cast<char>(word >> shift));
  }
}

uint32_t GetWord(std::string_view bytes) {
  uint32_t w = 0;
  for (int i = 3; i >= 0; --i) w = w << 8 | static_cast<unsigned char>(bytes[i]);
  return w;
}

// An MD5_CTX that has absorbed exactly one 64-byte block ending in `state`.
MD5_CTX ResumeAfterOneBlock(std::string_view state) {
  MD5_CTX ctx;
  MD5_Init(&ctx);
  ctx.A = GetWord(state.substr(0, 4));
  ctx.B = GetWord(state.substr(4, 4));
  ctx.C = GetWord(state.substr(8, 4));
  ctx.D = GetWord(state.substr(12, 4));
  ctx.Nl = kBlock * 8;  // bit count so far
  ctx.Nh = 0;
  ctx.num = 0;
  return ctx;
}

}  // namespace

std::string CramMd5Precompute(std::string_view secret) {
  unsigned char key[kBlock] = {};
  if (secret.size() > kBlock) {
    MD5(reinterpret_cast<const unsigned char*>(secret.data()), secret.size(), key);
  } else {
    for (size_t i = 0; i < secret.size(); ++i) key[i] = static_cast<unsigned char>(secret[i]);
  }
  unsigned char ipad[kBlock], opad[kBlock];
  for (size_t i = 0; i < kBlock; ++i) {
    ipad[i] = key[i] ^ 0x36;
    opad[i] = key[i] ^ 0x5c;
  }
  MD5_CTX inner, outer;
  MD5_Init(&inner);
  MD5_Update(&inner, ipad, kBlock);
  MD5_Init(&outer);
  MD5_Update(&outer, opad, kBlock);
  std::string context;
  PutWords(outer, context);
  PutWords(inner, context);
  OPENSSL_cleanse(key, sizeof key);
  OPENSSL_cleanse(ipad, sizeof ipad);
  OPENSSL_cleanse(opad, sizeof opad);
  return context;
}

Result<std::string> CramMd5Digest(std::string_view context, std::string_view challenge) {
  if (context.size() != kCramMd5ContextSize) {
    return Status::InvalidArgument("CRAM-MD5 context must be 32 bytes");
  }
  MD5_CTX inner = ResumeAfterOneBlock(context.substr(16, 16));
  MD5_Update(&inner, challenge.data(), challenge.size());
  unsigned char inner_digest[MD5_DIGEST_LENGTH];
  MD5_Final(inner_digest, &inner);
  MD5_CTX outer = ResumeAfterOneBlock(context.substr(0, 16));
  MD5_Update(&outer, inner_digest, sizeof inner_digest);
  unsigned char digest[MD5_DIGEST_LENGTH];
  MD5_Final(digest, &outer);
  return std::string(reinterpret_cast<const char*>(digest), sizeof digest);
}

bool CramMd5Verify(std::string_view context, std::string_view challenge,
                   std::string_view response_hex) {
  Result<std::string> expected = CramMd5Digest(context, challenge);
  std::optional<std::string> given = HexDecode(response_hex);
  if (!expected.has_value() || !given || given->size() != expected->size()) return false;
  return CRYPTO_memcmp(expected->data(), given->data(), given->size()) == 0;
}

}  // namespace roost::auth
