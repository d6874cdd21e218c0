// AuthBackend: where users, their passwords and their mail live.
//
// One interface for every source of accounts: the Courier userdb text file
// and Dovecot passwd-file (here), and later PAM, a Courier authdaemon socket
// client and LDAP. SASL mechanisms (auth/sasl_*) sit on top: PLAIN and LOGIN
// call Verify(); CRAM-MD5 needs CramMd5Context() from a backend whose
// CanProvideSecrets() is true; EXTERNAL calls Lookup(). Login penalties wrap
// a backend as a decorator, so backends stay free of per-IP state.
//
// Two verification entry points:
//   * Verify() is what client-facing code calls. Unknown user and wrong
//     password come back as the SAME Status (MailError::kNoPerm, message
//     kAuthFailedMessage), so neither the reply nor a log line built from it
//     can tell an attacker which names exist. A backend that is down gives
//     MailError::kUnavailable, which protocols answer with a temporary
//     failure instead of "wrong password".
//   * Authenticate() is the virtual that backends implement and composing
//     backends (ChainBackend, caches, penalty decorators) call. It keeps the
//     distinction: UnknownUser() (code kNotFound) lets a chain try the next
//     backend, BadPassword() (kPermissionDenied) stops it.
//
// Thread affinity: thread-safe. Every method may be called concurrently from
// any strand; implementations guard their state themselves. Methods may block
// (file reads, later sockets), so call them from worker strands, never from
// IO threads.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "auth/account_options.h"
#include "base/result.h"
#include "base/status.h"

namespace roost::auth {

// Courier's service names (authlib passes them to PAM and to userdb's
// <service>pw lookup). SMAP logins use "imap", as in Courier's imapd.
inline constexpr std::string_view kServiceImap = "imap";
inline constexpr std::string_view kServicePop3 = "pop3";

// The one message every failed credential check carries.
inline constexpr std::string_view kAuthFailedMessage = "authentication failed";

// Bounds applied by Verify()/Lookup() before any backend sees the input:
// longer names exist in no backend we speak to, and hashing a megabyte
// password with yescrypt is a cheap way to burn our CPU.
inline constexpr size_t kMaxUserLength = 255;
inline constexpr size_t kMaxPasswordLength = 1024;

struct UserInfo {
  std::string login;      // the name as the client gave it
  std::string name;       // canonical account name (authlib ADDRESS)
  uint32_t uid = 0;       // informational (Courier compat); Roost never setuid()s per user
  uint32_t gid = 0;
  std::string home;       // absolute
  std::string maildir;    // absolute Maildir++ root
  std::string quota;      // Maildir++ quota spec "10000000S,1000C"; empty = none
  AccountOptions options;  // DEFAULTOPTIONS already merged in
};

class AuthBackend {
 public:
  virtual ~AuthBackend() = default;
  AuthBackend(const AuthBackend&) = delete;
  AuthBackend& operator=(const AuthBackend&) = delete;

  // Short name for logs and config ("userdb", "passwd-file", "chain").
  virtual std::string_view name() const = 0;

  // Client-facing password check (see the header comment). `service` selects
  // service-specific secrets where the backend has them (userdb imappw).
  Result<UserInfo> Verify(std::string_view user, std::string_view password,
                          std::string_view service = kServiceImap);

  // The account without a password check (EXTERNAL, delivery, proxy lookups).
  // Unknown -> UnknownUser(); down -> BackendDown().
  virtual Result<UserInfo> Lookup(std::string_view user) = 0;

  // Distinguishing check for composing backends; see the header comment.
  // REQUIRES: user and password within the bounds above (Verify checks).
  virtual Result<UserInfo> Authenticate(std::string_view user, std::string_view password,
                                        std::string_view service) = 0;

  // True if PlainSecret()/CramMd5Context() can succeed for some users.
  virtual bool CanProvideSecrets() const { return false; }

  // The cleartext password, for challenge-response mechanisms that need it
  // (CRAM-MD5, SCRAM computed on the fly). Default: kNotSupported. A user
  // whose stored form is a one-way hash -> kNotSupported as well.
  virtual Result<std::string> PlainSecret(std::string_view user, std::string_view service);

  // The 32-byte HMAC-MD5 precomputed context (outer then inner MD5 state,
  // see cram_md5.h) for CRAM-MD5. Default: derived from PlainSecret().
  virtual Result<std::string> CramMd5Context(std::string_view user, std::string_view service);

  // Errors backends return from Authenticate()/Lookup().
  static Status UnknownUser();
  static Status BadPassword();
  static Status BackendDown(std::string_view why);
  static bool IsUnknownUser(const Status& status);
  static bool IsBadPassword(const Status& status);
  static bool IsBackendDown(const Status& status);

 protected:
  AuthBackend() = default;
};

// True if `user` is acceptable as a login name at all: within
// kMaxUserLength, no NUL, CR, LF or other control character. Backends may be
// stricter.
bool IsPlausibleUserName(std::string_view user);

}  // namespace roost::auth
