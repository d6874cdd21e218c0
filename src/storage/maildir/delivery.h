// Maildir delivery (maildir(5), spec §2.2): write a message into tmp/ under a
// unique name, fdatasync it, rename it into new/ (no flags) or cur/ (with
// ":2,<flags>"), then fsync the target directory. Only after that directory
// fsync does a delivery return OK, so an acknowledged message survives a
// power loss, and a message that was not acknowledged is at worst left in
// tmp/ (Courier readers purge tmp/ after 36 h), never half-written in new/
// or cur/.
//
// DeliverBatch is the group commit for LMTP and bulk APPEND/COPY: it writes
// and fdatasyncs every file, renames them all, then fsyncs each distinct
// target directory once, so N messages into one folder cost N file syncs
// and one directory sync instead of N of each.
//
// Names: tmp "<sec>.M<usec>P<pid>_<n>.<host>,S=<size>", final
// "<sec>.M<usec>P<pid>V<dev>I<ino>_<n>.<host>,S=<size>" (maildir_filename.h),
// n a per-process counter. A name collision (EEXIST) is retried with the
// next counter value.
//
// Thread affinity: thread-safe (the counter is atomic); the Fs must be too.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "storage/fs.h"
#include "storage/maildir/flags.h"

namespace roost::storage::maildir {

struct DeliveredFile {
  std::string basename;  // unique part, without ":2,..."
  std::string name;      // final directory entry (basename or basename:2,<flags>)
  std::string path;      // full path of the delivered file
  uint64_t size = 0;     // bytes written (the ,S= value)
  bool in_cur = false;   // true: cur/, false: new/
};

// `flags` unset: into new/ with no info (LMTP, SMAP ADD without flags).
// Set (even empty): into cur/ as "<basename>:2,<letters>" (IMAP APPEND).
Result<DeliveredFile> DeliverMessage(Fs& fs, const std::string& folder_dir, std::string_view data,
                                     std::optional<Flags> flags, std::string_view hostname);

struct DeliveryItem {
  std::string folder_dir;
  std::string_view data;  // must stay valid for the call
  std::optional<Flags> flags;
};

// One result per item, in order. Items fail independently while writing
// (e.g. one over quota); a failed directory fsync fails every item whose
// target is that directory. A failed item leaves nothing behind in new/ or
// cur/ (its file is unlinked; a crash may leave it in tmp/).
std::vector<Result<DeliveredFile>> DeliverBatch(Fs& fs, std::span<const DeliveryItem> items,
                                                std::string_view hostname);

}  // namespace roost::storage::maildir
