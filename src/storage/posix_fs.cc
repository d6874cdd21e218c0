#include "storage/posix_fs.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <utility>

#include <fmt/format.h>

#include "base/file_util.h"

namespace roost::storage {
namespace {

// The one errno -> Status conversion of this backend: "<call>(<args>)".
Status SysError(std::string_view call, std::string_view arg) {
  return Status::FromErrno(errno, fmt::format("{}({})", call, arg));
}
Status SysError(std::string_view call, std::string_view a, std::string_view b) {
  return Status::FromErrno(errno, fmt::format("{}({}, {})", call, a, b));
}

FileStat ToFileStat(const struct stat& st) {
  FileStat out;
  out.size = static_cast<uint64_t>(st.st_size);
  out.mtime_ns = static_cast<int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
  out.ctime_ns = static_cast<int64_t>(st.st_ctim.tv_sec) * 1'000'000'000 + st.st_ctim.tv_nsec;
  out.dev = st.st_dev;
  out.ino = st.st_ino;
  out.is_dir = S_ISDIR(st.st_mode);
  out.mode = st.st_mode;
  return out;
}

// Closes on destruction unless released; keeps error paths leak-free.
class FdCloser {
 public:
  explicit FdCloser(int fd) : fd_(fd) {}
  ~FdCloser() {
    if (fd_ >= 0) ::close(fd_);
  }
  FdCloser(const FdCloser&) = delete;
  FdCloser& operator=(const FdCloser&) = delete;
  int get() const { return fd_; }
  int release() { return std::exchange(fd_, -1); }

 private:
  int fd_;
};

Status WriteAll(int fd, std::string_view data, const std::string& path) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return SysError("write", path);
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  return Status::Ok();
}

class PosixWritableFile final : public WritableFile {
 public:
  PosixWritableFile(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  ~PosixWritableFile() override {
    if (fd_ >= 0) ::close(fd_);
  }

  Status Append(std::string_view data) override {
    if (fd_ < 0) return Status::InvalidArgument("append to closed file " + path_);
    return WriteAll(fd_, data, path_);
  }
  Status Sync() override {
    if (fd_ < 0) return Status::InvalidArgument("sync of closed file " + path_);
    if (::fdatasync(fd_) != 0) return SysError("fdatasync", path_);
    return Status::Ok();
  }
  Result<FileStat> Stat() override {
    struct stat st;
    if (::fstat(fd_, &st) != 0) return SysError("fstat", path_);
    return ToFileStat(st);
  }
  Status Close() override {
    if (fd_ < 0) return Status::Ok();
    int fd = std::exchange(fd_, -1);
    // Linux closes the fd even when close() fails; never retry.
    if (::close(fd) != 0) return SysError("close", path_);
    return Status::Ok();
  }

 private:
  int fd_;
  std::string path_;
};

class PosixReadableFile final : public ReadableFile {
 public:
  PosixReadableFile(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  ~PosixReadableFile() override { ::close(fd_); }

  Result<size_t> ReadAt(uint64_t offset, std::span<char> out) override {
    for (;;) {
      ssize_t n = ::pread(fd_, out.data(), out.size(), static_cast<off_t>(offset));
      if (n >= 0) return static_cast<size_t>(n);
      if (errno != EINTR) return SysError("pread", path_);
    }
  }
  Result<FileStat> Stat() override {
    struct stat st;
    if (::fstat(fd_, &st) != 0) return SysError("fstat", path_);
    return ToFileStat(st);
  }

 private:
  int fd_;
  std::string path_;
};

class PosixFileLock final : public FileLock {
 public:
  explicit PosixFileLock(int fd) : fd_(fd) {}
  // Closing the last descriptor of the open file description drops the lock.
  ~PosixFileLock() override { ::close(fd_); }

 private:
  int fd_;
};

}  // namespace

Fs& Fs::Posix() {
  static PosixFs* const fs = new PosixFs();  // never destroyed: usable during exit
  return *fs;
}

Result<std::unique_ptr<WritableFile>> PosixFs::CreateExclusive(const std::string& path, mode_t mode) {
  int fd = ::open(path.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, mode);
  if (fd < 0) return SysError("open", path);
  return std::unique_ptr<WritableFile>(std::make_unique<PosixWritableFile>(fd, path));
}

Result<std::unique_ptr<ReadableFile>> PosixFs::OpenRead(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return SysError("open", path);
  return std::unique_ptr<ReadableFile>(std::make_unique<PosixReadableFile>(fd, path));
}

Result<std::string> PosixFs::ReadSmallFile(const std::string& path, size_t max_bytes) {
  FdCloser fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) return SysError("open", path);
  std::string out;
  char buf[8192];
  for (;;) {
    ssize_t n = ::read(fd.get(), buf, sizeof(buf));
    if (n < 0) {
      if (errno == EINTR) continue;
      return SysError("read", path);
    }
    if (n == 0) return out;
    if (out.size() + static_cast<size_t>(n) > max_bytes) {
      return Status::ResourceExhausted(fmt::format("{} is larger than {} bytes", path, max_bytes));
    }
    out.append(buf, static_cast<size_t>(n));
  }
}

Status PosixFs::ReplaceFile(const std::string& path, std::string_view data, bool sync_dir) {
  return ReplaceFileAtomically(path, data, {.mode = 0600, .sync_file = true, .sync_dir = sync_dir});
}

Status PosixFs::Rename(const std::string& from, const std::string& to) {
  if (::rename(from.c_str(), to.c_str()) != 0) return SysError("rename", from, to);
  return Status::Ok();
}

Status PosixFs::Link(const std::string& from, const std::string& to) {
  if (::link(from.c_str(), to.c_str()) != 0) return SysError("link", from, to);
  return Status::Ok();
}

Status PosixFs::Unlink(const std::string& path) {
  if (::unlink(path.c_str()) != 0) return SysError("unlink", path);
  return Status::Ok();
}

Status PosixFs::Mkdir(const std::string& path, mode_t mode) {
  if (::mkdir(path.c_str(), mode) != 0) return SysError("mkdir", path);
  return Status::Ok();
}

Status PosixFs::Rmdir(const std::string& path) {
  if (::rmdir(path.c_str()) != 0) return SysError("rmdir", path);
  return Status::Ok();
}

Status PosixFs::SyncDir(const std::string& path) {
  FdCloser fd(::open(path.c_str(), O_DIRECTORY | O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) return SysError("open", path);
  if (::fsync(fd.get()) != 0) return SysError("fsync", path);
  return Status::Ok();
}

Result<std::vector<DirEntry>> PosixFs::ListDir(const std::string& path) {
  int fd = ::open(path.c_str(), O_DIRECTORY | O_RDONLY | O_CLOEXEC);
  if (fd < 0) return SysError("opendir", path);
  DIR* dir = ::fdopendir(fd);
  if (dir == nullptr) {
    Status st = SysError("fdopendir", path);
    ::close(fd);
    return st;
  }
  std::vector<DirEntry> out;
  for (;;) {
    errno = 0;
    struct dirent* ent = ::readdir(dir);
    if (ent == nullptr) break;
    std::string_view name = ent->d_name;
    if (name == "." || name == "..") continue;
    DirEntry entry{std::string(name), ent->d_type == DT_DIR};
    if (ent->d_type == DT_UNKNOWN) {
      struct stat st;
      // A name that vanished meanwhile is skipped: another process renamed it.
      if (::fstatat(::dirfd(dir), ent->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
        if (errno == ENOENT) continue;
        Status s = SysError("fstatat", path + "/" + entry.name);
        ::closedir(dir);
        return s;
      }
      entry.is_dir = S_ISDIR(st.st_mode);
    }
    out.push_back(std::move(entry));
  }
  if (errno != 0) {
    Status st = SysError("readdir", path);
    ::closedir(dir);
    return st;
  }
  ::closedir(dir);
  return out;
}

Result<FileStat> PosixFs::Stat(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return SysError("stat", path);
  return ToFileStat(st);
}

Result<std::unique_ptr<FileLock>> PosixFs::Lock(const std::string& path, bool exclusive) {
  FdCloser fd(::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600));
  if (fd.get() < 0) return SysError("open", path);
  while (::flock(fd.get(), exclusive ? LOCK_EX : LOCK_SH) != 0) {
    if (errno != EINTR) return SysError("flock", path);
  }
  return std::unique_ptr<FileLock>(std::make_unique<PosixFileLock>(fd.release()));
}

}  // namespace roost::storage
