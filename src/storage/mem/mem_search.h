// Search evaluation for the in-memory engine.
//
// Evaluates a SearchKey tree against one message by brute force: flags,
// keywords, UIDs, sizes, dates and modseqs from the message record; HEADER,
// BODY and TEXT as substrings of the raw CRLF bytes. Text matching folds
// ASCII case only (a simplification of i;unicode-casemap, RFC 5051, good
// enough for tests: non-ASCII must match byte for byte). SENT* keys use the
// date part of the Date: header (RFC 9051 §6.4.4: "disregarding time and
// timezone"); a message without a parsable Date: never matches them.
//
// Thread affinity: pure functions; callers hold the store mutex while the
// message and folder are read.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "base/result.h"
#include "storage/mem/mem_folder.h"
#include "storage/search.h"

namespace roost::storage::mem {

// `recent`: whether the message shows \Recent in the searching view.
// `now`: seconds since the epoch, for OLDER/YOUNGER (RFC 5032).
// Fails with kInvalidArgument on a malformed tree (wrong child count).
Result<bool> MatchesSearch(const SearchKey& key, const MemMessage& message, bool recent, const MemFolder& folder,
                           int64_t now);

// The Date: header's calendar day as days since the epoch; nullopt when
// missing or unparsable. Exposed for tests.
std::optional<int64_t> SentDay(std::string_view message);

}  // namespace roost::storage::mem
