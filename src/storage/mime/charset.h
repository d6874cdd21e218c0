// Charset conversion to UTF-8 for RFC 2047 encoded-words and RFC 2231
// parameter values.
//
// UTF-8, US-ASCII and ISO-8859-1 are handled here directly (they are most of
// real mail); everything else goes through ICU converters. Conversion never
// fails hard: bytes that are invalid in the source charset become U+FFFD.
//
// Thread affinity: thread-safe (no shared state beyond ICU's own caches).
#pragma once

#include <string>
#include <string_view>

#include "base/ascii.h"

namespace roost::storage::mime {

// Appends `bytes`, decoded from `charset`, to `out` as UTF-8. An RFC 2231
// language suffix ("utf-8*en") is ignored. Returns false if the charset is
// unknown; then the bytes are appended as by AppendValidUtf8().
bool ConvertToUtf8(std::string_view charset, std::string_view bytes, std::string* out);

// Appends `bytes` to `out`, replacing every invalid UTF-8 sequence by U+FFFD.
void AppendValidUtf8(std::string_view bytes, std::string* out);

}  // namespace roost::storage::mime
