// Small POSIX file helpers for the file-based auth backends: a bounded whole
// file read that also returns the file's identity stamp (for reload-on-change).
// Atomic replacement is base/file_util.h's ReplaceFileAtomically.
//
// auth/ sits beside storage/ and does not use storage's Fs seam; errno is
// turned into a Status in exactly one place here (Status::FromErrno).
//
// Thread affinity: thread-safe (no shared state).
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "base/result.h"
#include "base/status.h"

namespace roost::auth {

// What identifies one version of a file. Editors that rewrite in place keep
// the inode but move mtime; atomic replacers change the inode.
struct FileStamp {
  dev_t dev = 0;
  ino_t ino = 0;
  int64_t mtime_sec = 0;
  int64_t mtime_nsec = 0;
  int64_t size = -1;
  friend bool operator==(const FileStamp&, const FileStamp&) = default;
};

Result<FileStamp> StatFile(const std::string& path);

struct FileContents {
  std::string text;
  FileStamp stamp;  // taken from the open descriptor, so it matches `text`
};

// Reads all of `path`. kResourceExhausted if it is over `max_bytes`.
Result<FileContents> ReadFileBounded(const std::string& path, size_t max_bytes);

}  // namespace roost::auth
