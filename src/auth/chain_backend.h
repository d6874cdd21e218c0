// ChainBackend: several AuthBackends tried in order, like authlib's
// authmodulelist (spec §7.1).
//
// The first backend that knows the user answers for it: UnknownUser() passes
// on to the next backend; a BadPassword() or a success stops the chain. A
// backend that is down stops the chain with kUnavailable (authlib's TEMPFAIL
// rule): answering "wrong password" or asking a later backend could let a
// shadowing account in a lower-priority backend win while the real one is
// unreachable. The same rules apply to Lookup() and to the secret queries
// (where a backend that knows the user but cannot provide secrets stops the
// chain with kNotSupported).
//
// Owns its backends. Thread-safe: the list is fixed at construction and each
// backend is thread-safe.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "auth/auth_backend.h"

namespace roost::auth {

class ChainBackend final : public AuthBackend {
 public:
  explicit ChainBackend(std::vector<std::unique_ptr<AuthBackend>> backends);

  std::string_view name() const override { return "chain"; }
  Result<UserInfo> Lookup(std::string_view user) override;
  Result<UserInfo> Authenticate(std::string_view user, std::string_view password,
                                std::string_view service) override;
  // True if any member can.
  bool CanProvideSecrets() const override;
  Result<std::string> PlainSecret(std::string_view user, std::string_view service) override;
  Result<std::string> CramMd5Context(std::string_view user, std::string_view service) override;

 private:
  const std::vector<std::unique_ptr<AuthBackend>> backends_;
};

}  // namespace roost::auth
