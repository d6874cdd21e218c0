// Turns one part's header block into Part fields (Content-* per RFC 2045,
// RFC 2183, RFC 3066, RFC 2557, RFC 1864) and, for message headers, into
// ENVELOPE data (RFC 3501 §7.4.2).
//
// One pass over the block; the first occurrence of each field wins, as in
// most servers. Used by MimeParser when a header block ends.
//
// Thread affinity: thread-safe (pure function).
#pragma once

#include <cstdint>
#include <string_view>

#include "storage/mime/mime_limits.h"
#include "storage/mime/structure.h"

namespace roost::storage::mime {

// Fills the content fields of `part` from `block`. `in_digest` selects the
// multipart/digest default type (RFC 2046 §5.1.5). If `envelope` is not
// null it receives the envelope fields. `work` is increased by the bytes
// and steps spent.
void ApplyHeaderBlock(std::string_view block, const MimeLimits& limits, bool in_digest, Part* part,
                      Envelope* envelope, uint64_t* work);

// Envelope of a standalone header block (for tests and index rebuilds).
Envelope ParseEnvelope(std::string_view block, const MimeLimits& limits = MimeLimits());

}  // namespace roost::storage::mime
