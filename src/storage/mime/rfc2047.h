// RFC 2047 encoded-word decoding ("=?charset?B|Q?text?="), to UTF-8, for
// SEARCH on headers and for display names.
//
// Lenient like common mail clients: words are decoded even when not
// separated from surrounding text by whitespace, whitespace between two
// encoded-words is dropped (RFC 2047 §6.2), adjacent words in the same
// charset are joined before conversion (so a multi-byte character split
// over two words survives), and anything that is not a valid encoded-word
// is kept as text. Raw 8-bit text that is not valid UTF-8 has its invalid
// bytes replaced by U+FFFD. Runs in time linear in the input.
//
// Thread affinity: thread-safe (pure function).
#pragma once

#include <string>
#include <string_view>

namespace roost::storage::mime {

std::string DecodeRfc2047(std::string_view text);

}  // namespace roost::storage::mime
