// Modified UTF-7 (RFC 3501 §5.1.3) <-> UTF-8, for mailbox names sent to and
// from clients that have not enabled UTF8=ACCEPT (RFC 6855). Folder names on
// disk are UTF-8 (Courier >= 5.0), so this runs only at the protocol edge
// and when reading pre-5.0 Courier trees.
//
// Strict: Mutf7ToUtf8 accepts only the canonical encoding, the one
// Utf8ToMutf7 produces, so Utf8ToMutf7(Mutf7ToUtf8(x)) == x whenever
// decoding succeeds. Rejected: bytes outside 0x20-0x7E, an unterminated
// shift, bad base64 characters, non-zero padding bits or an extra base64
// character, a printable ASCII character (including '&') inside a shift,
// two adjacent shifts (they must be one), broken surrogate pairs, NUL.
//
// Pure functions. Thread affinity: thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "base/result.h"

namespace roost::storage::maildir {

// Names longer than this are refused by both directions (a mailbox name is
// far shorter; this only bounds work on hostile input).
inline constexpr size_t kMaxMutf7Input = 64 * 1024;

// Fails (InvalidArgument) on invalid UTF-8 or NUL.
Result<std::string> Utf8ToMutf7(std::string_view utf8);

// Fails (InvalidArgument, with the byte offset) on any non-canonical input.
Result<std::string> Mutf7ToUtf8(std::string_view mutf7);

}  // namespace roost::storage::maildir
