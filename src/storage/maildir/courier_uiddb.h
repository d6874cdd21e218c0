// courierimapuiddb (spec §2.6): Courier-IMAP's per-folder UID cache.
//
//   1 <uidvalidity> <nextuid>
//   <uid> <basename>            one per message, ascending uid
//
// Only version 1 exists. The parser is strict about structure (ascending,
// non-zero UIDs below nextuid, unique basenames) so a damaged file is
// reported as Corruption with its line number rather than half-used.
// This is stricter than Courier (imapscanclient.c skips lines it cannot
// read and does not check order), deliberately: Courier itself always
// writes the file sorted and below nextuid, so a violation means damage,
// and serving UIDs from a damaged map could repeat a UID. The engine
// answers Corruption the way Courier answers a bad header: a new
// UIDVALIDITY.
// Pure functions. Thread affinity: thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <ctime>
#include <string>
#include <string_view>

#include "base/result.h"
#include "storage/maildir/codec_util.h"
#include "storage/maildir/uid_list.h"

namespace roost::storage::maildir {

// Courier's IMAP_EPOCH (imapscanclient.C, since 4.10.0): UIDVALIDITY values
// are seconds since 2001-09-09, so they stay below 2^31 until ~2069.
inline constexpr int64_t kCourierImapEpoch = 1'000'000'000;

// Parses the file. A trailing newline is optional. Versions other than 1
// fail with NotSupported; structural problems with Corruption
// ("courierimapuiddb line N: ..."); more than `max_entries` messages with
// ResourceExhausted.
Result<UidList> ParseCourierUidDb(std::string_view data, size_t max_entries = kDefaultMaxEntries);

// Byte-exact inverse of the parser for valid input.
// REQUIRES: entries ascending by uid, basenames without '\n'.
std::string FormatCourierUidDb(const UidList& list);

// UIDVALIDITY for a fresh db: mtime of the tmp file just created, minus the
// IMAP epoch (Courier uses time() - epoch when the db cannot be written).
// Clamped to [1, 2^32-1] so a badly wrong clock still yields a legal value.
uint32_t NewUidValidity(std::time_t tmp_file_mtime);

}  // namespace roost::storage::maildir
