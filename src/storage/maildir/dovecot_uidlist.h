// dovecot-uidlist: Dovecot's per-maildir UID list, read once when Roost
// takes over a Dovecot tree so every message keeps its UID (DESIGN.md
// "Storage"). Roost never writes this file.
//
// Version 3:
//   3 V<uidvalidity> N<nextuid> [G<mailbox-guid-hex>] [other fields...]
//   <uid> [<ext-field> ...] :<filename>
// where ext fields are a key letter plus value ("W1234", "S1200", "G<guid>")
// and the filename follows the ':' to the end of the line.
// Version 1:
//   1 <uidvalidity> <nextuid>
//   <uid> <filename>
// Filenames are reduced to their base (":2,..." info stripped) so the
// result is the same UidList courierimapuiddb yields.
// Pure functions. Thread affinity: thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "base/result.h"
#include "storage/maildir/codec_util.h"
#include "storage/maildir/uid_list.h"

namespace roost::storage::maildir {

struct DovecotUidList {
  int version = 3;
  UidList uids;
  std::string mailbox_guid;  // the header's G field (hex), empty if absent
};

// NotSupported for versions other than 1 and 3; Corruption with the line
// number for malformed content; ResourceExhausted past `max_entries`.
Result<DovecotUidList> ParseDovecotUidList(std::string_view data,
                                           size_t max_entries = kDefaultMaxEntries);

// Strips a maildir info suffix (":2,...") from a filename.
std::string_view DovecotBasename(std::string_view filename);

}  // namespace roost::storage::maildir
