// Content-Type and Content-Disposition parsing (RFC 2045 §5.1, RFC 2183)
// with RFC 2231 parameter value continuations and charset encoding.
//
// Bounded: at most MimeLimits::max_raw_params `name=value` items are looked
// at (the rest of the header is not even scanned) and at most max_params
// joined parameters are kept; either cap sets ParamList::truncated. Time is
// linear in the header value. Lenient: unquoted values may contain spaces
// and tspecials (common in filenames), unterminated quotes run to the end,
// comments are skipped.
//
// Thread affinity: thread-safe (pure functions).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "storage/mime/mime_limits.h"
#include "storage/mime/structure.h"

namespace roost::storage::mime {

struct ContentType {
  std::string type;     // lowercased; empty if the value is not type/subtype
  std::string subtype;  // lowercased
  ParamList params;
  bool valid() const { return !type.empty() && !subtype.empty(); }
};

struct ContentDisposition {
  std::string value;  // lowercased, e.g. "attachment"
  ParamList params;
};

// `steps`, if given, is increased by the number of bytes examined.
ContentType ParseContentType(std::string_view value, const MimeLimits& limits, uint64_t* steps = nullptr);
ContentDisposition ParseContentDisposition(std::string_view value, const MimeLimits& limits,
                                           uint64_t* steps = nullptr);
// Parameters in `s`, which starts at or before the first ';'.
ParamList ParseParams(std::string_view s, const MimeLimits& limits, uint64_t* steps = nullptr);

}  // namespace roost::storage::mime
