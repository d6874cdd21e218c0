// UID assignment for one Maildir folder (spec §2.6), the way Courier's
// imapscanclient.C does it: keep the UID of every file still present
// (matched by basename, so a flag rename keeps its UID), drop entries whose
// file vanished, and give files not yet listed new UIDs from nextuid in
// filename order, which is arrival order for names that start with the
// delivery time.
//
// AssignUids is pure. LoadUidList reads courierimapuiddb, or on a first
// open of a Dovecot tree (no courierimapuiddb) dovecot-uidlist, so the
// folder keeps its UIDs and UIDVALIDITY. WriteCourierUidList writes
// courierimapuiddb with tmp + rename + directory fsync (Fs::ReplaceFile).
//
// Thread affinity: thread-safe (no state); callers serialise the
// load-assign-write cycle of one folder (the per-user writer).
#pragma once

#include <cstddef>
#include <cstdint>
#include <ctime>
#include <optional>
#include <span>
#include <string>

#include "base/result.h"
#include "storage/fs.h"
#include "storage/maildir/folder_scan.h"
#include "storage/maildir/uid_list.h"

namespace roost::storage::maildir {

struct UidAssignment {
  UidList list;
  bool changed = false;       // differs from the input list: write it back
  bool new_validity = false;  // no usable list: everything renumbered from 1
  size_t added = 0;           // new UIDs handed out
  size_t removed = 0;         // entries whose file vanished
};

// `existing` unset: a fresh list with `fresh_uidvalidity` (NewUidValidity),
// UIDs from 1. Also starts fresh if the new UIDs would run past 2^32-1
// (RFC 3501 §2.3.1.1: UIDs cannot be reused, so UIDVALIDITY must change).
// A basename present twice (new/ and cur/) gets one UID.
UidAssignment AssignUids(const std::optional<UidList>& existing, std::span<const ScannedMessage> messages,
                         uint32_t fresh_uidvalidity);

enum class UidListSource : uint8_t { kNone, kCourier, kDovecot };

struct LoadedUidList {
  std::optional<UidList> list;
  UidListSource source = UidListSource::kNone;
  // A file existed but could not be used (Corruption / NotSupported); the
  // caller logs it and starts afresh with a new UIDVALIDITY, as Courier
  // does for a bad header.
  std::optional<Status> discarded;
};

// Max bytes read from either file: a million entries of ~100 bytes.
inline constexpr size_t kMaxUidListBytes = 128u << 20;

// IoError and the like fail; a missing or damaged file does not.
Result<LoadedUidList> LoadUidList(Fs& fs, const std::string& folder_dir);

Status WriteCourierUidList(Fs& fs, const std::string& folder_dir, const UidList& list);

// The whole refresh after a scan: load, assign, write back if changed. A
// fresh list takes NewUidValidity(now). When the folder is read-only
// (PermissionDenied) the UIDs still serve this session, as in Courier.
Result<UidAssignment> RefreshUids(Fs& fs, const std::string& folder_dir,
                                  std::span<const ScannedMessage> messages, std::time_t now);

}  // namespace roost::storage::maildir
