// PasswdFileBackend (passwd_file.h).
#include <charconv>
#include <utility>

#include "auth/password_scheme.h"
#include "auth/passwd_file/passwd_file.h"

namespace roost::auth::passwd_file {
namespace {

Status EntryError(const Entry& entry, std::string_view what) {
  return Status::Corruption("passwd-file line " + std::to_string(entry.line) + ": " + std::string(what));
}

Result<uint32_t> Number(const Entry& entry, std::string_view text, std::string_view what) {
  if (text.empty()) return 0u;  // Dovecot allows empty uid/gid columns
  uint32_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) {
    return EntryError(entry, std::string(what) + " is not a number");
  }
  return value;
}

// "maildir:~/Maildir:LAYOUT=fs" -> "<home>/Maildir".
Result<std::string> MaildirFromMail(const Entry& entry, std::string_view mail, const std::string& home) {
  size_t colon = mail.find(':');
  if (colon != std::string_view::npos) {
    std::string_view format = mail.substr(0, colon);
    if (format != "maildir") return EntryError(entry, "mail format '" + std::string(format) + "' is not maildir");
    mail = mail.substr(colon + 1);
    mail = mail.substr(0, mail.find(':'));  // drop ":INDEX=...", ":LAYOUT=..."
  }
  std::string path;
  if (mail.starts_with("~/") || mail == "~") {
    if (home.empty()) return EntryError(entry, "mail uses ~ but there is no home");
    path = home + std::string(mail.substr(1));
  } else {
    path = std::string(mail);
  }
  if (path.empty() || path[0] != '/') return EntryError(entry, "mail is not an absolute path");
  return path;
}

}  // namespace

PasswdFileBackend::PasswdFileBackend(PasswdFileBackendOptions options)
    : options_(std::move(options)),
      file_(options_.path, kMaxFileBytes, [](std::string_view text) -> Result<Snapshot> {
        ROOST_ASSIGN_OR_RETURN(std::vector<Entry> entries, ParsePasswdFile(text));
        Snapshot snapshot;
        snapshot.entries = std::move(entries);
        for (size_t i = 0; i < snapshot.entries.size(); ++i) {
          snapshot.by_user.emplace(snapshot.entries[i].user, i);
        }
        return snapshot;
      }) {}

Result<PasswdFileBackend::Found> PasswdFileBackend::Find(std::string_view user) {
  ROOST_ASSIGN_OR_RETURN(std::shared_ptr<const Snapshot> snapshot, file_.Get());
  auto it = snapshot->by_user.find(std::string(user));
  if (it == snapshot->by_user.end()) return UnknownUser();
  const Entry* entry = &snapshot->entries[it->second];
  return Found{std::move(snapshot), entry};
}

Result<UserInfo> PasswdFileBackend::ToUserInfo(std::string_view login, const Entry& entry) const {
  UserInfo info;
  info.login = std::string(login);
  info.name = entry.user;
  ROOST_ASSIGN_OR_RETURN(info.uid, Number(entry, entry.Extra("uid").value_or(entry.uid), "uid"));
  ROOST_ASSIGN_OR_RETURN(info.gid, Number(entry, entry.Extra("gid").value_or(entry.gid), "gid"));
  info.home = std::string(entry.Extra("home").value_or(entry.home));
  if (!info.home.empty() && info.home[0] != '/') return EntryError(entry, "home is not absolute");
  if (std::optional<std::string_view> mail = entry.Extra("mail")) {
    ROOST_ASSIGN_OR_RETURN(info.maildir, MaildirFromMail(entry, *mail, info.home));
  } else if (!info.home.empty()) {
    info.maildir = info.home + "/" + options_.default_maildir;
  } else {
    return EntryError(entry, "neither home nor mail");
  }
  std::vector<std::string_view> rules;
  for (const auto& [key, value] : entry.extra) {
    std::string_view k = key;
    if (k.starts_with("userdb_")) k.remove_prefix(7);
    if (k.starts_with("quota_rule")) rules.push_back(value);
  }
  Result<std::string> quota = QuotaFromRules(rules);
  if (!quota.has_value()) return EntryError(entry, quota.error().message());
  info.quota = std::move(quota).value();
  info.options = AccountOptions::Parse(entry.Extra("options").value_or(""));
  info.options.MergeDefaults(options_.default_options);
  return info;
}

Result<UserInfo> PasswdFileBackend::Lookup(std::string_view user) {
  ROOST_ASSIGN_OR_RETURN(Found found, Find(user));
  return ToUserInfo(user, *found.entry);
}

Result<UserInfo> PasswdFileBackend::Authenticate(std::string_view user, std::string_view password,
                                                 std::string_view) {
  ROOST_ASSIGN_OR_RETURN(Found found, Find(user));
  // An empty password column locks the account (VerifyPassword says false).
  Result<bool> match = VerifyPassword(found.entry->password, password);
  if (!match.has_value()) return EntryError(*found.entry, match.error().message());
  if (!*match) return BadPassword();
  return ToUserInfo(user, *found.entry);
}

Result<std::string> PasswdFileBackend::PlainSecret(std::string_view user, std::string_view) {
  ROOST_ASSIGN_OR_RETURN(Found found, Find(user));
  if (std::optional<std::string> plain = PlainFromStored(found.entry->password)) return *std::move(plain);
  return Status::NotSupported("no cleartext password stored for this account");
}

Result<std::string> PasswdFileBackend::CramMd5Context(std::string_view user, std::string_view) {
  ROOST_ASSIGN_OR_RETURN(Found found, Find(user));
  if (std::optional<std::string> context = CramMd5ContextFromStored(found.entry->password)) {
    return *std::move(context);
  }
  return Status::NotSupported("no CRAM-MD5 secret stored for this account");
}

}  // namespace roost::auth::passwd_file
