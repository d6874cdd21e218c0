#include "auth/auth_backend.h"

#include "auth/cram_md5.h"

namespace roost::auth {

bool IsPlausibleUserName(std::string_view user) {
  if (user.empty() || user.size() > kMaxUserLength) return false;
  for (unsigned char c : user) {
    if (c < 0x20 || c == 0x7f) return false;
  }
  return true;
}

Result<UserInfo> AuthBackend::Verify(std::string_view user, std::string_view password,
                                     std::string_view service) {
  if (!IsPlausibleUserName(user) || password.size() > kMaxPasswordLength) {
    return Status::Mail(MailError::kNoPerm, kAuthFailedMessage);
  }
  Result<UserInfo> result = Authenticate(user, password, service);
  if (result.has_value()) return result;
  const Status& error = result.error();
  if (IsBackendDown(error)) return error;
  if (IsUnknownUser(error) || IsBadPassword(error)) {
    return Status::Mail(MailError::kNoPerm, kAuthFailedMessage);
  }
  // A malformed stored hash or a bug: the client sees a failed login (never
  // success), the caller logs the detail. Keep the code so logs can tell.
  return error;
}

Result<std::string> AuthBackend::PlainSecret(std::string_view, std::string_view) {
  return Status::NotSupported("backend cannot provide plaintext secrets");
}

Result<std::string> AuthBackend::CramMd5Context(std::string_view user, std::string_view service) {
  ROOST_ASSIGN_OR_RETURN(std::string plain, PlainSecret(user, service));
  return CramMd5Precompute(plain);
}

Status AuthBackend::UnknownUser() { return Status::Mail(MailError::kNotFound, "unknown user"); }

Status AuthBackend::BadPassword() { return Status::Mail(MailError::kNoPerm, "password mismatch"); }

Status AuthBackend::BackendDown(std::string_view why) {
  return Status::Mail(MailError::kUnavailable, why);
}

bool AuthBackend::IsUnknownUser(const Status& status) {
  return status.code() == Status::Code::kNotFound;
}

bool AuthBackend::IsBadPassword(const Status& status) {
  return status.code() == Status::Code::kPermissionDenied;
}

bool AuthBackend::IsBackendDown(const Status& status) {
  return status.code() == Status::Code::kUnavailable;
}

}  // namespace roost::auth
