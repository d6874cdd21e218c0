// FaultFs: an Fs for crash and error tests (the idea of leveldb's
// FaultInjectionTestEnv, written for our Fs).
//
// It forwards every call to a base Fs (PosixFs by default) and can:
//   (a) simulate a power loss: SimulateCrash() drops what was never made
//       durable. File data past the last WritableFile::Sync() is truncated,
//       and directory changes (create, rename, link, unlink, mkdir, rmdir)
//       whose directory was not SyncDir()ed since are undone, newest first.
//   (b) fail the Nth future call of an operation with a chosen errno; the
//       Status is the one PosixFs would build ("rename(a, b) failed: ...").
//   (c) count calls per operation, so engine tests can assert e.g. "one
//       directory fsync per batch, no per-message fsync".
//
// The crash model approximates ext4/xfs (data=ordered) conservatively, as
// POSIX promises it: a name change is durable only once its directory was
// fsynced (for rename and link: the destination's directory), and file
// data only once the file was fsynced; fsyncing a file does not make its
// name durable. Only changes made through this FaultFs are tracked; files
// that existed before count as durable. Contents to restore (a file
// replaced by rename or unlinked) are kept in memory, so this is for small
// test files. Paths must be spelled consistently (no "..", no "//", no
// trailing '/').
//
// Ownership: the caller owns the FaultFs and the base Fs; both must outlive
// every file and lock obtained from it.
//
// Thread affinity: thread-safe (one mutex). SimulateCrash REQUIRES that no
// WritableFile from this FaultFs is open.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "storage/fs.h"

namespace roost::storage {

enum class FsOp : uint8_t {
  kCreate,         // CreateExclusive
  kOpenRead,
  kReadSmallFile,
  kReplaceFile,    // also counts as its inner create, write, fsync, rename
  kWrite,          // WritableFile::Append
  kFsync,          // WritableFile::Sync (fdatasync)
  kClose,          // WritableFile::Close
  kSyncDir,
  kRename,
  kLink,
  kUnlink,
  kMkdir,
  kRmdir,
  kListDir,
  kStat,
  kLock,
  kCount_,  // number of operations, not an operation
};

class FaultFs final : public Fs {
 public:
  explicit FaultFs(Fs& base = Fs::Posix());
  ~FaultFs() override;
  FaultFs(const FaultFs&) = delete;
  FaultFs& operator=(const FaultFs&) = delete;

  // Makes the `nth` call of `op` from now on (1 = the next one) fail with
  // `err`, without reaching the base Fs. Several faults may be armed.
  void FailNth(FsOp op, uint64_t nth, int err);
  void ClearFaults();

  uint64_t Calls(FsOp op) const;
  void ResetCounts();

  // Drops unsynced data and undoes unsynced directory changes, then starts
  // tracking afresh as if the machine had rebooted.
  void SimulateCrash();

  Result<std::unique_ptr<WritableFile>> CreateExclusive(const std::string& path, mode_t mode) override;
  Result<std::unique_ptr<ReadableFile>> OpenRead(const std::string& path) override;
  Result<std::string> ReadSmallFile(const std::string& path, size_t max_bytes) override;
  Status ReplaceFile(const std::string& path, std::string_view data, bool sync_dir) override;
  Status Rename(const std::string& from, const std::string& to) override;
  Status Link(const std::string& from, const std::string& to) override;
  Status Unlink(const std::string& path) override;
  Status Mkdir(const std::string& path, mode_t mode) override;
  Status Rmdir(const std::string& path) override;
  Status SyncDir(const std::string& path) override;
  Result<std::vector<DirEntry>> ListDir(const std::string& path) override;
  Result<FileStat> Stat(const std::string& path) override;
  Result<std::unique_ptr<FileLock>> Lock(const std::string& path, bool exclusive) override;

  // Durability state of one file written through this FaultFs; shared by
  // the names (hard links) that point to it and by its open WritableFile.
  struct FileState {
    uint64_t size = 0;
    uint64_t synced_size = 0;
  };

 private:
  friend class FaultWritableFile;

  // A directory change not yet made durable.
  struct Pending {
    enum class Kind : uint8_t { kCreate, kRename, kLink, kUnlink, kMkdir, kRmdir } kind;
    std::string dir;  // the directory whose fsync makes it durable
    std::string a, b;  // path (or from, to)
    std::optional<std::string> saved;          // content of a replaced/unlinked file
    std::shared_ptr<FileState> saved_state;    // its tracking, if any
  };

  // Counts the call and returns the injected failure, if one is due.
  // `what` is the "call(args)" text of the error message.
  Status Enter(FsOp op, std::string_view what);
  void OnAppend(FileState& state, uint64_t n);
  void OnSync(FileState& state);
  void Undo(const Pending& p);  // REQUIRES: mu_ held
  void MoveTracked(const std::string& from, const std::string& to);  // REQUIRES: mu_ held

  Fs& base_;
  mutable std::mutex mu_;
  std::array<uint64_t, static_cast<size_t>(FsOp::kCount_)> calls_{};  // GUARDED_BY(mu_)
  struct Fault {
    FsOp op;
    uint64_t at_call;
    int err;
  };
  std::vector<Fault> faults_;                                  // GUARDED_BY(mu_)
  std::map<std::string, std::shared_ptr<FileState>> files_;   // GUARDED_BY(mu_)
  std::vector<Pending> pending_;                               // GUARDED_BY(mu_)
  uint64_t tmp_counter_ = 0;                                   // GUARDED_BY(mu_)
};

}  // namespace roost::storage
