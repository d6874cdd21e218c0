// UidList: the UID state of one folder as Courier (courierimapuiddb) and
// Dovecot (dovecot-uidlist) persist it: UIDVALIDITY, the next UID to assign,
// and the UID of each message keyed by its base filename (the name without
// ":2,<flags>", which changes when flags do).
//
// Thread affinity: a value type.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace roost::storage::maildir {

struct UidEntry {
  uint32_t uid = 0;
  std::string basename;
  bool operator==(const UidEntry&) const = default;
};

struct UidList {
  uint32_t uidvalidity = 0;
  uint32_t nextuid = 1;
  std::vector<UidEntry> entries;  // strictly ascending uid, each < nextuid
  bool operator==(const UidList&) const = default;
};

}  // namespace roost::storage::maildir
