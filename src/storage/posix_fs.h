// PosixFs: the real Fs, plain POSIX syscalls.
//
// Every syscall failure becomes a Status in one place (Status::FromErrno),
// with a dovecot-style message naming the call and its arguments, e.g.
// "rename(a, b) failed: No such file or directory". Every descriptor is
// opened with O_CLOEXEC so a forked helper never inherits mail files or
// locks.
//
// Locks are flock(2) locks taken on a descriptor of their own: they belong
// to the open file description, so two Lock() calls in one process exclude
// each other, and the kernel drops a lock the moment its holder dies.
// Lock() BLOCKS until the lock is granted; callers run on worker threads,
// never on IO threads.
//
// Ownership: Fs::Posix() returns a process-wide instance that lives until
// exit. Tests and wrappers (FaultFs) may construct their own.
//
// Thread affinity: thread-safe. File objects are used by one thread at a
// time.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "storage/fs.h"

namespace roost::storage {

class PosixFs final : public Fs {
 public:
  PosixFs() = default;
  PosixFs(const PosixFs&) = delete;
  PosixFs& operator=(const PosixFs&) = delete;

  Result<std::unique_ptr<WritableFile>> CreateExclusive(const std::string& path, mode_t mode) override;
  Result<std::unique_ptr<ReadableFile>> OpenRead(const std::string& path) override;
  Result<std::string> ReadSmallFile(const std::string& path, size_t max_bytes) override;
  // The temporary is "<path>.tmp.<pid>.<counter>": unique per process and
  // call, and in the same directory so the rename is atomic. It is unlinked
  // if any step fails.
  Status ReplaceFile(const std::string& path, std::string_view data, bool sync_dir) override;

  Status Rename(const std::string& from, const std::string& to) override;
  Status Link(const std::string& from, const std::string& to) override;
  Status Unlink(const std::string& path) override;
  Status Mkdir(const std::string& path, mode_t mode) override;
  Status Rmdir(const std::string& path) override;
  Status SyncDir(const std::string& path) override;
  Result<std::vector<DirEntry>> ListDir(const std::string& path) override;
  Result<FileStat> Stat(const std::string& path) override;
  // Blocking flock(LOCK_EX or LOCK_SH) on `path` (created 0600 if missing).
  Result<std::unique_ptr<FileLock>> Lock(const std::string& path, bool exclusive) override;
};

}  // namespace roost::storage
