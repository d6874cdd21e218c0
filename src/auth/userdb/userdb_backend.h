// UserdbBackend: accounts from a Courier userdb text file (spec §7.3).
//
// Reads the text source (not makeuserdb's .dat files, see userdb_format.h)
// and re-reads it whenever its inode, size or mtime change, so
// `roostctl user add` or an editor takes effect on the next login without a
// reload signal.
//
// Password selection for Verify()/Authenticate(user, pw, service): the
// "<service>pw" field (imappw, pop3pw, ...) if the entry has one, else
// "systempw"; an entry with neither cannot log in with a password. Values are
// any form VerifyPassword() understands. CRAM-MD5 secrets: the
// "<service>-hmac-md5pw" field, then "hmac-md5pw" (64 hex digits, the
// precomputed context), then a {PLAIN}/{CRAM-MD5} password field.
//
// UserInfo mapping: name = the entry name; uid/gid from the fields (must be
// numbers); home is required; maildir = "mail" if absolute, else home + "/" +
// ("mail" or options.default_maildir), matching Courier's default of
// ./Maildir under the home; quota = "quota"; options = "options" with
// options.default_options merged under it (DEFAULTOPTIONS).
//
// Thread-safe: the parsed file is an immutable snapshot behind
// ReloadingFile's mutex.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "auth/account_options.h"
#include "auth/auth_backend.h"
#include "auth/reloading_file.h"
#include "auth/userdb/userdb_format.h"

namespace roost::auth::userdb {

struct UserdbBackendOptions {
  std::string path;                // the userdb text file
  bool case_insensitive = false;   // lowercase the login before lookup
  AccountOptions default_options;  // DEFAULTOPTIONS
  std::string default_maildir = "Maildir";  // relative to home when "mail" is absent
};

class UserdbBackend final : public AuthBackend {
 public:
  explicit UserdbBackend(UserdbBackendOptions options);

  std::string_view name() const override { return "userdb"; }
  Result<UserInfo> Lookup(std::string_view user) override;
  Result<UserInfo> Authenticate(std::string_view user, std::string_view password,
                                std::string_view service) override;
  bool CanProvideSecrets() const override { return true; }
  Result<std::string> PlainSecret(std::string_view user, std::string_view service) override;
  Result<std::string> CramMd5Context(std::string_view user, std::string_view service) override;

  // Successful (re)loads of the file so far.
  int loads() const { return file_.loads(); }

 private:
  // A parsed file plus a name index.
  struct Snapshot {
    Userdb db;
    std::unordered_map<std::string, size_t> by_name;  // -> index into db.lines
  };
  // Finds the entry for `user` and keeps its snapshot alive.
  struct Found {
    std::shared_ptr<const Snapshot> snapshot;
    const Entry* entry;
  };
  Result<Found> Find(std::string_view user);
  Result<UserInfo> ToUserInfo(std::string_view login, const Entry& entry) const;

  const UserdbBackendOptions options_;
  ReloadingFile<Snapshot> file_;
};

}  // namespace roost::auth::userdb
