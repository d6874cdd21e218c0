// CRAM-MD5 (RFC 2195) from a precomputed HMAC-MD5 context.
//
// HMAC-MD5(K, m) = MD5((K^opad) || MD5((K^ipad) || m)). The two key blocks
// are the first 64 bytes either hash ever sees, so a server can store the
// MD5 chaining state after each of them instead of the password: the
// "precomputed context". That is what Dovecot stores as {CRAM-MD5}<hex> and
// Courier's userdb as hmac-md5pw=<hex> (spec §7.3/§7.4): 32 bytes, the outer
// state (A, B, C, D as little-endian 32-bit words) followed by the inner
// state, written as 64 hex digits. It is password-equivalent for CRAM-MD5
// but not the cleartext.
//
// Resuming a hash from a saved state needs the MD5 chaining variables, which
// only OpenSSL's (deprecated, still shipped in 3.x) MD5_CTX exposes; the
// arithmetic stays in OpenSSL.
//
// Thread affinity: pure functions, thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "base/result.h"

namespace roost::auth {

inline constexpr size_t kCramMd5ContextSize = 32;

// The 32-byte context for `secret` (keys over 64 bytes are hashed first, RFC
// 2104 §2).
std::string CramMd5Precompute(std::string_view secret);

// The 16-byte HMAC-MD5 of `challenge` under `context`.
// Error (kInvalidArgument) if context is not kCramMd5ContextSize bytes.
Result<std::string> CramMd5Digest(std::string_view context, std::string_view challenge);

// True iff `response_hex` (the hex digest after the user name in the client's
// CRAM-MD5 answer, either case) is the HMAC of `challenge`. Compared in
// constant time.
bool CramMd5Verify(std::string_view context, std::string_view challenge,
                   std::string_view response_hex);

}  // namespace roost::auth
