#include "base/file_util.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>

#include <fmt/format.h>

namespace roost {
namespace {

Status WriteAll(int fd, std::string_view data, const std::string& name) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Status::FromErrno(errno, fmt::format("write({})", name));
    data.remove_prefix(static_cast<size_t>(n));
  }
  return Status::Ok();
}

// Writes, chmods and syncs the temp file; closes it on every path.
Status WriteTemp(const std::string& tmp, std::string_view data, const ReplaceFileOptions& options) {
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, options.mode);
  if (fd < 0) return Status::FromErrno(errno, fmt::format("open({})", tmp));
  Status st = WriteAll(fd, data, tmp);
  if (st.ok() && ::fchmod(fd, options.mode) != 0) st = Status::FromErrno(errno, fmt::format("fchmod({})", tmp));
  if (st.ok() && options.sync_file && ::fsync(fd) != 0) {
    st = Status::FromErrno(errno, fmt::format("fsync({})", tmp));
  }
  if (::close(fd) != 0 && st.ok()) st = Status::FromErrno(errno, fmt::format("close({})", tmp));
  return st;
}

Status SyncDirectory(const std::string& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return Status::FromErrno(errno, fmt::format("open({})", dir));
  Status st;
  if (::fsync(fd) != 0) st = Status::FromErrno(errno, fmt::format("fsync({})", dir));
  ::close(fd);
  return st;
}

}  // namespace

std::string DirectoryOf(const std::string& path) {
  size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

Status ReplaceFileAtomically(const std::string& path, std::string_view data, const ReplaceFileOptions& options) {
  static std::atomic<uint64_t> counter{0};
  std::string tmp = fmt::format("{}.tmp.{}.{}", path, ::getpid(), counter.fetch_add(1));
  Status st = WriteTemp(tmp, data, options);
  if (st.ok() && ::rename(tmp.c_str(), path.c_str()) != 0) {
    st = Status::FromErrno(errno, fmt::format("rename({}, {})", tmp, path));
  }
  if (!st.ok()) {
    ::unlink(tmp.c_str());  // best effort; the first error is what matters
    return st;
  }
  return options.sync_dir ? SyncDirectory(DirectoryOf(path)) : Status::Ok();
}

}  // namespace roost
