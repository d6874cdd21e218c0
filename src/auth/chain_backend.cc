#include "auth/chain_backend.h"

#include <utility>

namespace roost::auth {
namespace {

// Runs `call` on each backend until one gives anything but "unknown user".
template <typename T, typename Call>
Result<T> FirstThatKnows(const std::vector<std::unique_ptr<AuthBackend>>& backends, Call call) {
  for (const auto& backend : backends) {
    Result<T> result = call(*backend);
    if (result.has_value() || !AuthBackend::IsUnknownUser(result.error())) return result;
  }
  return AuthBackend::UnknownUser();
}

// For the secret queries: a backend without secrets still owns the users it
// knows (no fall-through to a namesake further down), so ask it who it knows.
template <typename Call>
Result<std::string> FirstSecret(const std::vector<std::unique_ptr<AuthBackend>>& backends,
                                std::string_view user, Call call) {
  return FirstThatKnows<std::string>(backends, [&](AuthBackend& b) -> Result<std::string> {
    if (b.CanProvideSecrets()) return call(b);
    Result<UserInfo> known = b.Lookup(user);
    if (!known.has_value()) return std::move(known).error();
    return Status::NotSupported("the backend owning this user cannot provide secrets");
  });
}

}  // namespace

ChainBackend::ChainBackend(std::vector<std::unique_ptr<AuthBackend>> backends)
    : backends_(std::move(backends)) {}

Result<UserInfo> ChainBackend::Lookup(std::string_view user) {
  return FirstThatKnows<UserInfo>(backends_, [&](AuthBackend& b) { return b.Lookup(user); });
}

Result<UserInfo> ChainBackend::Authenticate(std::string_view user, std::string_view password,
                                            std::string_view service) {
  return FirstThatKnows<UserInfo>(
      backends_, [&](AuthBackend& b) { return b.Authenticate(user, password, service); });
}

bool ChainBackend::CanProvideSecrets() const {
  for (const auto& backend : backends_) {
    if (backend->CanProvideSecrets()) return true;
  }
  return false;
}

Result<std::string> ChainBackend::PlainSecret(std::string_view user, std::string_view service) {
  return FirstSecret(backends_, user, [&](AuthBackend& b) { return b.PlainSecret(user, service); });
}

Result<std::string> ChainBackend::CramMd5Context(std::string_view user, std::string_view service) {
  return FirstSecret(backends_, user, [&](AuthBackend& b) { return b.CramMd5Context(user, service); });
}

}  // namespace roost::auth
