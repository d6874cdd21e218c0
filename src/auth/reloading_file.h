// ReloadingFile<T>: a parsed view of a file that is re-read when the file
// changes (inode, size or mtime differ from the last read).
//
// Each Get() costs one stat(2). Readers get a shared_ptr to an immutable
// snapshot, so a reload never disturbs a lookup in progress. Failures to read
// or parse come back as AuthBackend::BackendDown (kUnavailable): a broken
// userdb must not be answered with "wrong password", and serving the old
// snapshot would keep a deleted user alive. The next Get() retries.
//
// Thread affinity: thread-safe (one mutex around the cached snapshot; the
// read and parse happen under it so concurrent callers do not all reload).
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>

#include "auth/auth_backend.h"
#include "auth/file_util.h"
#include "base/result.h"

namespace roost::auth {

template <typename T>
class ReloadingFile {
 public:
  using Parser = std::function<Result<T>(std::string_view text)>;

  ReloadingFile(std::string path, size_t max_bytes, Parser parse)
      : path_(std::move(path)), max_bytes_(max_bytes), parse_(std::move(parse)) {}

  Result<std::shared_ptr<const T>> Get() {
    std::lock_guard<std::mutex> lock(mu_);
    Result<FileStamp> stamp = StatFile(path_);
    if (!stamp.has_value()) return Down(stamp.error());
    if (current_ && *stamp == stamp_) return current_;
    Result<FileContents> contents = ReadFileBounded(path_, max_bytes_);
    if (!contents.has_value()) return Down(contents.error());
    Result<T> parsed = parse_(contents->text);
    current_.reset();
    if (!parsed.has_value()) return Down(parsed.error());
    current_ = std::make_shared<const T>(std::move(parsed).value());
    stamp_ = contents->stamp;
    ++loads_;
    return current_;
  }

  // How many times the file was (re)parsed successfully; for tests and metrics.
  int loads() const {
    std::lock_guard<std::mutex> lock(mu_);
    return loads_;
  }
  const std::string& path() const { return path_; }

 private:
  Status Down(const Status& why) const {
    return AuthBackend::BackendDown(path_ + ": " + std::string(why.message()));
  }

  const std::string path_;
  const size_t max_bytes_;
  const Parser parse_;
  mutable std::mutex mu_;
  std::shared_ptr<const T> current_;  // GUARDED_BY(mu_)
  FileStamp stamp_;                   // GUARDED_BY(mu_)
  int loads_ = 0;                     // GUARDED_BY(mu_)
};

}  // namespace roost::auth
