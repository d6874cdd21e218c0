// Replacing a small file atomically, the one way every layer needs it:
// userdb edits (auth), generated certificates (net), the ready file
// (server) and PosixFs::ReplaceFile (storage, behind its Fs seam).
//
// The data goes to "<path>.tmp.<pid>.<n>" in the same directory (O_EXCL,
// so two writers never share a temp file), gets exactly `mode` (fchmod: the
// umask does not apply), is fsynced when asked, and is renamed over `path`;
// readers see the old file or the new one, never a mix. On failure the
// temp file is removed and `path` is untouched.
//
// Thread affinity: thread-safe.
#pragma once

#include <sys/types.h>

#include <string>
#include <string_view>

#include "base/status.h"

namespace roost {

struct ReplaceFileOptions {
  mode_t mode = 0600;
  bool sync_file = true;  // fsync the data before the rename
  bool sync_dir = true;   // fsync the directory after it: the rename is durable
};

Status ReplaceFileAtomically(const std::string& path, std::string_view data,
                             const ReplaceFileOptions& options = {});

// The directory part of `path`: "." for a bare name, "/" for "/name".
std::string DirectoryOf(const std::string& path);

}  // namespace roost
