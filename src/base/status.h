// Status: the result of an operation that returns no value.
//
// An OK status holds a null pointer, so success costs one word and no
// allocation (leveldb's shape). A failure carries a Code (what kind of
// failure, for control flow), an optional MailError (the semantic mail error
// each protocol maps to its own reply in one switch), the errno if a syscall
// failed, and a message meant for the log, never for the client.
//
// Thread affinity: a value type; distinct objects may be used from any thread.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "base/mail_error.h"

namespace roost {

class [[nodiscard]] Status {
 public:
  enum class Code : unsigned char {
    kOk = 0,
    kInvalidArgument,  // caller passed something malformed
    kNotFound,
    kAlreadyExists,
    kPermissionDenied,
    kIoError,          // a syscall failed; errno() says which
    kCorruption,       // data on disk or in the index is not what we wrote
    kResourceExhausted,  // a configured limit was hit
    kUnavailable,      // a dependency (auth backend, disk) is down; retry later
    kCancelled,
    kNotSupported,
    kInternal,         // a bug; logged with a correlation id
  };

  Status() noexcept = default;
  Status(const Status& other);
  Status& operator=(const Status& other);
  Status(Status&&) noexcept = default;
  Status& operator=(Status&&) noexcept = default;
  ~Status() = default;

  static Status Ok() { return Status(); }
  static Status InvalidArgument(std::string_view msg) { return Status(Code::kInvalidArgument, msg); }
  static Status NotFound(std::string_view msg) { return Status(Code::kNotFound, msg); }
  static Status AlreadyExists(std::string_view msg) { return Status(Code::kAlreadyExists, msg); }
  static Status PermissionDenied(std::string_view msg) { return Status(Code::kPermissionDenied, msg); }
  static Status Corruption(std::string_view msg) { return Status(Code::kCorruption, msg); }
  static Status ResourceExhausted(std::string_view msg) { return Status(Code::kResourceExhausted, msg); }
  static Status Unavailable(std::string_view msg) { return Status(Code::kUnavailable, msg); }
  static Status Cancelled(std::string_view msg) { return Status(Code::kCancelled, msg); }
  static Status NotSupported(std::string_view msg) { return Status(Code::kNotSupported, msg); }
  static Status Internal(std::string_view msg) { return Status(Code::kInternal, msg); }
  // A failed syscall, logged as "<what> failed: <strerror>". The single errno
  // to Status mapping lives here: ENOENT -> kNotFound, EEXIST ->
  // kAlreadyExists, EACCES/EPERM -> kPermissionDenied, EDQUOT/ENOSPC ->
  // kResourceExhausted with MailError::kOverQuota/kTempFail, else kIoError.
  static Status FromErrno(int err, std::string_view what);
  // A semantic mail failure, e.g. Status::Mail(MailError::kOverQuota, "...").
  static Status Mail(MailError error, std::string_view msg);

  bool ok() const { return rep_ == nullptr; }
  Code code() const { return rep_ ? rep_->code : Code::kOk; }
  MailError mail_error() const { return rep_ ? rep_->mail_error : MailError::kNone; }
  int sys_errno() const { return rep_ ? rep_->sys_errno : 0; }
  std::string_view message() const { return rep_ ? std::string_view(rep_->message) : std::string_view(); }

  // "IoError: rename(a, b) failed: No such file or directory".
  std::string ToString() const;

  // Prefixes the message with context, keeping code and errors.
  Status WithContext(std::string_view context) const;

 private:
  struct Rep {
    Code code;
    MailError mail_error;
    int sys_errno;
    std::string message;
  };
  Status(Code code, std::string_view msg, MailError mail = MailError::kNone, int err = 0);

  std::unique_ptr<Rep> rep_;
};

std::string_view CodeName(Status::Code code);

}  // namespace roost

// Returns early from the enclosing function if `expr` is not OK.
#define ROOST_RETURN_IF_ERROR(expr)            \
  do {                                         \
    ::roost::Status roost_status_ = (expr);    \
    if (!roost_status_.ok()) return roost_status_; \
  } while (0)
