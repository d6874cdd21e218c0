// Folder scan: what messages a Maildir folder holds right now, read from
// new/ and cur/ with one ListDir each (spec §2.2, §2.6). Flags and the size
// hint come from the filename; a file is stat()ed only when its name has
// no ",S=". The mtimes of new/ and cur/ are taken before listing, so a
// change racing the scan moves the mtime past what was recorded and is
// seen by the next comparison (DESIGN.md: change detection by directory
// mtime).
//
// MoveNewToCur renames new/x to cur/x:2, as IMAP SELECT/NOOP do, in batches
// with one fsync of cur/ per batch.
//
// Thread affinity: thread-safe (no state); the Fs must be too.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "base/result.h"
#include "storage/fs.h"
#include "storage/maildir/flags.h"

namespace roost::storage::maildir {

enum class MessageDir : uint8_t { kNew, kCur };

struct ScannedMessage {
  std::string basename;  // unique part, without ":2,..."
  std::string filename;  // the directory entry as found
  MessageDir dir = MessageDir::kNew;
  Flags flags;
  std::string unknown_flags;     // other info letters (Courier keeps them)
  std::optional<uint64_t> size;  // ",S=" hint, else from stat (unset if that failed)
};

struct FolderScan {
  std::vector<ScannedMessage> messages;  // sorted by (dir, filename)
  int64_t new_mtime_ns = 0;
  int64_t cur_mtime_ns = 0;
};

// Skips subdirectories and names that cannot be messages (hidden files,
// see ParseMaildirFilename). NotFound if new/ or cur/ is missing.
Result<FolderScan> ScanFolder(Fs& fs, const std::string& folder_dir);

// Courier moves 20 files per batch (imapscanclient.C).
inline constexpr size_t kMoveBatch = 20;

struct MovedMessage {
  std::string from_name;  // in new/
  std::string to_name;    // in cur/ ("<name>:2," unless it already had info)
};

// Renames each of `names` (entries of new/) into cur/, fsyncing cur/ after
// every `batch` renames. A name that is gone (another reader moved it) is
// skipped. Returns the moves done; on error, the moves before it are done
// and durable up to the last completed batch.
Result<std::vector<MovedMessage>> MoveNewToCur(Fs& fs, const std::string& folder_dir,
                                               std::span<const std::string> names, size_t batch = kMoveBatch);

}  // namespace roost::storage::maildir
