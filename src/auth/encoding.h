// Base64 (RFC 4648 §4) and hex codecs for stored password hashes and, later,
// SASL exchanges.
//
// Decoders are strict: they reject characters outside the alphabet, bad
// padding and odd hex lengths, returning std::nullopt, so a malformed stored
// hash is reported as malformed instead of being compared as garbage.
//
// Thread affinity: pure functions, thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace roost::auth {

std::string Base64Encode(std::string_view bytes);
// Accepts padded input only (length a multiple of 4), as written by every
// LDAP/Courier/Dovecot tool we read hashes from.
std::optional<std::string> Base64Decode(std::string_view text);

// Lowercase hex.
std::string HexEncode(std::string_view bytes);
// Accepts upper and lower case.
std::optional<std::string> HexDecode(std::string_view text);

}  // namespace roost::auth
