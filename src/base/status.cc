#include "base/status.h"

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

namespace roost {

Status::Status(Code code, std::string_view msg, MailError mail, int err)
    : rep_(std::make_unique<Rep>(Rep{code, mail, err, std::string(msg)})) {}

Status::Status(const Status& other)
    : rep_(other.rep_ ? std::make_unique<Rep>(*other.rep_) : nullptr) {}

Status& Status::operator=(const Status& other) {
  if (this != &other) rep_ = other.rep_ ? std::make_unique<Rep>(*other.rep_) : nullptr;
  return *this;
}

Status Status::FromErrno(int err, std::string_view what) {
  std::string msg = fmt::format("{} failed: {}", what, std::strerror(err));
  switch (err) {
    case ENOENT:
    case ENOTDIR:
      return Status(Code::kNotFound, msg, MailError::kNotFound, err);
    case EEXIST:
    case ENOTEMPTY:
      return Status(Code::kAlreadyExists, msg, MailError::kExists, err);
    case EACCES:
    case EPERM:
    case EROFS:
      return Status(Code::kPermissionDenied, msg, MailError::kNoPerm, err);
    case EDQUOT:
      return Status(Code::kResourceExhausted, msg, MailError::kNoQuota, err);
    case ENOSPC:
    case EMFILE:
    case ENFILE:
    case ENOMEM:
      return Status(Code::kResourceExhausted, msg, MailError::kTempFail, err);
    default:
      return Status(Code::kIoError, msg, MailError::kTempFail, err);
  }
}

Status Status::Mail(MailError error, std::string_view msg) {
  Code code = Code::kInternal;
  switch (error) {
    case MailError::kNone:
    case MailError::kTempFail: code = Code::kInternal; break;
    case MailError::kNotPossible:
    case MailError::kParams: code = Code::kInvalidArgument; break;
    case MailError::kNoPerm: code = Code::kPermissionDenied; break;
    case MailError::kNoQuota:
    case MailError::kLimit: code = Code::kResourceExhausted; break;
    case MailError::kNotFound:
    case MailError::kExpunged: code = Code::kNotFound; break;
    case MailError::kExists: code = Code::kAlreadyExists; break;
    case MailError::kInUse:
    case MailError::kUnavailable: code = Code::kUnavailable; break;
    case MailError::kCorrupted: code = Code::kCorruption; break;
  }
  return Status(code, msg, error, 0);
}

std::string Status::ToString() const {
  if (ok()) return "OK";
  return fmt::format("{}: {}", CodeName(code()), message());
}

Status Status::WithContext(std::string_view context) const {
  if (ok()) return Status();
  Status s(code(), fmt::format("{}: {}", context, message()), mail_error(), sys_errno());
  return s;
}

std::string_view CodeName(Status::Code code) {
  switch (code) {
    case Status::Code::kOk: return "OK";
    case Status::Code::kInvalidArgument: return "InvalidArgument";
    case Status::Code::kNotFound: return "NotFound";
    case Status::Code::kAlreadyExists: return "AlreadyExists";
    case Status::Code::kPermissionDenied: return "PermissionDenied";
    case Status::Code::kIoError: return "IoError";
    case Status::Code::kCorruption: return "Corruption";
    case Status::Code::kResourceExhausted: return "ResourceExhausted";
    case Status::Code::kUnavailable: return "Unavailable";
    case Status::Code::kCancelled: return "Cancelled";
    case Status::Code::kNotSupported: return "NotSupported";
    case Status::Code::kInternal: return "Internal";
  }
  return "Unknown";
}

std::string_view MailErrorName(MailError e) {
  switch (e) {
    case MailError::kNone: return "none";
    case MailError::kTempFail: return "tempfail";
    case MailError::kNotPossible: return "notpossible";
    case MailError::kParams: return "params";
    case MailError::kNoPerm: return "noperm";
    case MailError::kNoQuota: return "noquota";
    case MailError::kNotFound: return "notfound";
    case MailError::kExists: return "exists";
    case MailError::kExpunged: return "expunged";
    case MailError::kInUse: return "inuse";
    case MailError::kLimit: return "limit";
    case MailError::kCorrupted: return "corrupted";
    case MailError::kUnavailable: return "unavailable";
  }
  return "unknown";
}

}  // namespace roost
