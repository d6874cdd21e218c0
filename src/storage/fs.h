// Fs: every filesystem call the Maildir engine makes, behind one seam.
//
// Maildir correctness hinges on the order of write, fsync, rename, link and
// directory fsync; the crash tests can only prove it if they can drop
// unsynced data and fail a rename at will. So storage/maildir never calls
// ::rename or ::open itself: it calls an Fs. PosixFs is the real one;
// FaultFs (tests/) wraps it to inject failures and simulate crashes
// (leveldb's Env / FaultInjectionTestEnv). errno becomes Status in exactly
// one place (Status::FromErrno), logged as "rename(<from>, <to>) failed:
// <strerror>".
//
// Locks are flock(2) locks: the kernel drops them when a process dies, so
// recovery after a crash never waits on a stale lock file.
//
// Thread affinity: thread-safe. File objects are used by one thread at a
// time.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace roost::storage {

struct FileStat {
  uint64_t size = 0;
  int64_t mtime_ns = 0;
  int64_t ctime_ns = 0;
  uint64_t dev = 0, ino = 0;
  bool is_dir = false;
  mode_t mode = 0;
};

struct DirEntry {
  std::string name;
  bool is_dir = false;  // from d_type; DT_UNKNOWN is resolved with a stat
};

class WritableFile {
 public:
  virtual ~WritableFile() = default;  // closes (no implicit sync)
  virtual Status Append(std::string_view data) = 0;
  virtual Status Sync() = 0;  // fdatasync
  virtual Result<FileStat> Stat() = 0;
  virtual Status Close() = 0;
};

class ReadableFile {
 public:
  virtual ~ReadableFile() = default;
  virtual Result<size_t> ReadAt(uint64_t offset, std::span<char> out) = 0;
  virtual Result<FileStat> Stat() = 0;
};

// Held while alive; released by the destructor or by process death.
class FileLock {
 public:
  virtual ~FileLock() = default;
};

class Fs {
 public:
  virtual ~Fs() = default;

  // O_CREAT|O_EXCL: fails with kAlreadyExists if the name is taken.
  virtual Result<std::unique_ptr<WritableFile>> CreateExclusive(const std::string& path, mode_t mode) = 0;
  virtual Result<std::unique_ptr<ReadableFile>> OpenRead(const std::string& path) = 0;
  // Reads a whole small file, failing with kResourceExhausted past max_bytes.
  virtual Result<std::string> ReadSmallFile(const std::string& path, size_t max_bytes) = 0;
  // Writes `data` to a unique temporary name beside `path`, fsyncs it and
  // renames it over `path`; then fsyncs the directory when `sync_dir`.
  virtual Status ReplaceFile(const std::string& path, std::string_view data, bool sync_dir) = 0;

  virtual Status Rename(const std::string& from, const std::string& to) = 0;
  virtual Status Link(const std::string& from, const std::string& to) = 0;
  virtual Status Unlink(const std::string& path) = 0;
  virtual Status Mkdir(const std::string& path, mode_t mode) = 0;
  virtual Status Rmdir(const std::string& path) = 0;
  virtual Status SyncDir(const std::string& path) = 0;
  virtual Result<std::vector<DirEntry>> ListDir(const std::string& path) = 0;
  virtual Result<FileStat> Stat(const std::string& path) = 0;
  // Exclusive (or shared) flock on `path`, created if missing.
  virtual Result<std::unique_ptr<FileLock>> Lock(const std::string& path, bool exclusive) = 0;

  // The process-wide POSIX implementation.
  static Fs& Posix();
};

}  // namespace roost::storage
