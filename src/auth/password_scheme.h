// Password schemes: checking a password against a stored hash, and making
// new hashes.
//
// Stored forms understood (the "{...}" prefix is case-insensitive, as in
// Courier's checkpassword.c, spec §7.4; Dovecot's names are accepted too):
//   {SHA} {SHA1} {SHA256} {SHA512}      base64 (or hex) of the digest
//   {SSHA} {SSHA256} {SSHA512} {SMD5}   base64(digest(pw || salt) || salt), any salt length >= 1
//                                       (base64 only; Dovecot's .HEX variants are not read)
//   {MD5} {PLAIN-MD5} {LDAP-MD5}        base64 (or hex) of MD5(pw), Courier's meaning;
//                                       but "{MD5}$1$..." is Dovecot's MD5-crypt alias
//   {MD5RAW}                            lowercase hex MD5(pw) (Courier)
//   {PLAIN} {CLEAR} {CLEARTEXT}         the password itself
//   {CRAM-MD5}                          hex HMAC-MD5 precomputed context (cram_md5.h)
//   {CRYPT} {MD5-CRYPT} {SHA256-CRYPT} {SHA512-CRYPT} {BLF-CRYPT} {DES-CRYPT}
//                                       prefix stripped, then crypt(3)
//   no prefix                           crypt(3) via libcrypt's crypt_rn: $y$ yescrypt,
//                                       $gy$, $7$, $2b$/$2y$, $6$, $5$, $1$, DES, whatever
//                                       the installed libxcrypt supports
//   "" or starting with '!' / '*'       a locked account: never matches (shadow(5) style)
//
// Every comparison is constant-time (CRYPTO_memcmp); cleartext comparison
// hashes both sides first so the length does not leak either.
//
// Thread affinity: pure functions, thread-safe (crypt_rn with a per-call
// buffer, no static state).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "base/result.h"

namespace roost::auth {

// true: match; false: mismatch or locked account. Error kInvalidArgument if
// `stored` is malformed (bad base64, wrong digest length, unknown {SCHEME},
// a crypt setting libcrypt rejects); such an account can never log in, and
// the caller should log the (secret-free) message.
Result<bool> VerifyPassword(std::string_view stored, std::string_view password);

// A new stored form for `password` in `scheme` (case-insensitive):
//   "yescrypt" (default), "sha512-crypt", "sha256-crypt", "bcrypt",
//   "SSHA" (Courier's default), "SSHA256", "SSHA512", "PLAIN", "CRAM-MD5".
// crypt schemes come back bare ("$y$..."), the others with their prefix.
// Error kNotSupported for an unknown scheme, kInvalidArgument if the
// password contains NUL (crypt(3) would silently truncate it).
Result<std::string> HashPassword(std::string_view password, std::string_view scheme = "yescrypt");

// The cleartext if `stored` keeps one ({PLAIN}/{CLEAR}/{CLEARTEXT}), else
// nullopt. Backs AuthBackend::PlainSecret().
std::optional<std::string> PlainFromStored(std::string_view stored);

// The 32-byte CRAM-MD5 context if `stored` is {CRAM-MD5}<hex> or cleartext,
// else nullopt (one-way hashes cannot serve CRAM-MD5).
std::optional<std::string> CramMd5ContextFromStored(std::string_view stored);

// Splits "{SCHEME}rest" into ("SCHEME" uppercased, "rest"); no prefix ->
// ("", stored).
std::pair<std::string, std::string_view> SplitScheme(std::string_view stored);

}  // namespace roost::auth
