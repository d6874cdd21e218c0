// Dovecot passwd-file: parser and backend.
//
//   user:password:uid:gid:(gecos):home:(shell):extra_fields
//
// Only user and password are required; missing trailing fields are empty.
// Everything after the seventh ':' is extra_fields, a space-separated list of
// name=value (so values like "maildir:~/Maildir" keep their colons). The
// password is "{SCHEME}..." or, without a prefix, a crypt(3) hash (Dovecot's
// default_pass_scheme CRYPT); see password_scheme.h. '#' comment and blank
// lines are skipped.
//
// Extra fields that map onto UserInfo (with or without Dovecot's "userdb_"
// prefix, which marks passdb-carried userdb fields):
//   home=/path            overrides the home column
//   uid=N gid=N           override the uid/gid columns
//   mail=maildir:PATH[:KEY=VAL...]   the maildir; "~" is the home; other
//                         formats (mbox:, mdbox:, sdbox:) are an error for
//                         that user: Roost only serves Maildir++
//   quota_rule=*:storage=N[B|K|M|G|T]  -> "<bytes>S" (1024-based units; a
//                                       bare N is KiB, as in Dovecot; bytes=N is bytes)
//   quota_rule=*:messages=N            -> "<n>C" (quota_rule2.. also read)
//   options=a=1,b=2       Roost extension: Courier account options
// Everything else (nopassword, allow_nets, proxy, namespace settings, quota
// rules for single mailboxes, ...) is ignored. With no mail field the maildir
// is home + "/" + default_maildir.
//
// Thread affinity: the parser is pure; PasswdFileBackend is thread-safe
// (immutable snapshots behind ReloadingFile).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "auth/account_options.h"
#include "auth/auth_backend.h"
#include "auth/reloading_file.h"
#include "base/result.h"

namespace roost::auth::passwd_file {

// Same reasoning as userdb's bounds.
inline constexpr size_t kMaxLineLength = 16 * 1024;
inline constexpr size_t kMaxLines = 4 * 1024 * 1024;
inline constexpr size_t kMaxFileBytes = 256 * 1024 * 1024;

struct Entry {
  std::string user;
  std::string password;
  std::string uid, gid, gecos, home, shell;  // as written; may be empty
  std::vector<std::pair<std::string, std::string>> extra;  // file order
  int line = 0;

  // Value of extra field `name` or "userdb_<name>" (the latter wins).
  std::optional<std::string_view> Extra(std::string_view name) const;
};

// Error "passwd-file line N: ..." on structural problems (empty user name,
// overlong line, NUL, duplicate user).
Result<std::vector<Entry>> ParsePasswdFile(std::string_view text);

// "*:storage=1G" and friends folded into a Maildir++ quota spec; "" if no
// rule applies. Error on a malformed size in a "*" rule.
Result<std::string> QuotaFromRules(const std::vector<std::string_view>& rules);

struct PasswdFileBackendOptions {
  std::string path;
  AccountOptions default_options;           // DEFAULTOPTIONS
  std::string default_maildir = "Maildir";  // relative to home
};

class PasswdFileBackend final : public AuthBackend {
 public:
  explicit PasswdFileBackend(PasswdFileBackendOptions options);

  std::string_view name() const override { return "passwd-file"; }
  Result<UserInfo> Lookup(std::string_view user) override;
  // `service` is ignored: the format has one password per user.
  Result<UserInfo> Authenticate(std::string_view user, std::string_view password,
                                std::string_view service) override;
  bool CanProvideSecrets() const override { return true; }
  Result<std::string> PlainSecret(std::string_view user, std::string_view service) override;
  Result<std::string> CramMd5Context(std::string_view user, std::string_view service) override;

 private:
  struct Snapshot {
    std::vector<Entry> entries;
    std::unordered_map<std::string, size_t> by_user;
  };
  struct Found {
    std::shared_ptr<const Snapshot> snapshot;
    const Entry* entry;
  };
  Result<Found> Find(std::string_view user);
  Result<UserInfo> ToUserInfo(std::string_view login, const Entry& entry) const;

  const PasswdFileBackendOptions options_;
  ReloadingFile<Snapshot> file_;
};

}  // namespace roost::auth::passwd_file
