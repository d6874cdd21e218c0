#include "auth/userdb/userdb_backend.h"

#include <cctype>
#include <charconv>
#include <utility>

#include "auth/password_scheme.h"

namespace roost::auth::userdb {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

Status EntryError(const Entry& entry, std::string_view what) {
  return Status::Corruption("userdb line " + std::to_string(entry.line) + ": " + std::string(what));
}

Result<uint32_t> NumberField(const Entry& entry, std::string_view field) {
  std::optional<std::string_view> text = entry.Get(field);
  if (!text) return EntryError(entry, std::string(field) + " missing");
  uint32_t value = 0;
  auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (ec != std::errc() || end != text->data() + text->size()) {
    return EntryError(entry, std::string(field) + " is not a number");
  }
  return value;
}

// "<service>pw", else "systempw".
std::optional<std::string_view> PasswordField(const Entry& entry, std::string_view service) {
  if (!service.empty()) {
    if (auto pw = entry.Get(std::string(service) + "pw")) return pw;
  }
  return entry.Get("systempw");
}

}  // namespace

UserdbBackend::UserdbBackend(UserdbBackendOptions options)
    : options_(std::move(options)),
      file_(options_.path, kMaxFileBytes, [](std::string_view text) -> Result<Snapshot> {
        ROOST_ASSIGN_OR_RETURN(Userdb db, ParseUserdb(text));
        Snapshot snapshot;
        snapshot.db = std::move(db);
        for (size_t i = 0; i < snapshot.db.lines.size(); ++i) {
          const Line& line = snapshot.db.lines[i];
          if (line.kind == Line::Kind::kEntry) snapshot.by_name.emplace(line.entry.name, i);
        }
        return snapshot;
      }) {}

Result<UserdbBackend::Found> UserdbBackend::Find(std::string_view user) {
  ROOST_ASSIGN_OR_RETURN(std::shared_ptr<const Snapshot> snapshot, file_.Get());
  std::string key = options_.case_insensitive ? Lower(user) : std::string(user);
  auto it = snapshot->by_name.find(key);
  if (it == snapshot->by_name.end()) return UnknownUser();
  const Entry* entry = &snapshot->db.lines[it->second].entry;
  return Found{std::move(snapshot), entry};
}

Result<UserInfo> UserdbBackend::ToUserInfo(std::string_view login, const Entry& entry) const {
  UserInfo info;
  info.login = std::string(login);
  info.name = entry.name;
  ROOST_ASSIGN_OR_RETURN(info.uid, NumberField(entry, "uid"));
  ROOST_ASSIGN_OR_RETURN(info.gid, NumberField(entry, "gid"));
  std::optional<std::string_view> home = entry.Get("home");
  if (!home || home->empty() || (*home)[0] != '/') return EntryError(entry, "home missing or not absolute");
  info.home = std::string(*home);
  std::string_view mail = entry.Get("mail").value_or(options_.default_maildir);
  if (!mail.empty() && mail[0] == '/') {
    info.maildir = std::string(mail);
  } else {
    info.maildir = info.home + "/" + std::string(mail.empty() ? options_.default_maildir : mail);
  }
  info.quota = std::string(entry.Get("quota").value_or(""));
  info.options = AccountOptions::Parse(entry.Get("options").value_or(""));
  info.options.MergeDefaults(options_.default_options);
  return info;
}

Result<UserInfo> UserdbBackend::Lookup(std::string_view user) {
  ROOST_ASSIGN_OR_RETURN(Found found, Find(user));
  return ToUserInfo(user, *found.entry);
}

Result<UserInfo> UserdbBackend::Authenticate(std::string_view user, std::string_view password,
                                             std::string_view service) {
  ROOST_ASSIGN_OR_RETURN(Found found, Find(user));
  std::optional<std::string_view> stored = PasswordField(*found.entry, service);
  // No password field: the account exists but cannot log in with one.
  if (!stored) return BadPassword();
  Result<bool> match = VerifyPassword(*stored, password);
  if (!match.has_value()) return EntryError(*found.entry, match.error().message());
  if (!*match) return BadPassword();
  return ToUserInfo(user, *found.entry);
}

Result<std::string> UserdbBackend::PlainSecret(std::string_view user, std::string_view service) {
  ROOST_ASSIGN_OR_RETURN(Found found, Find(user));
  std::optional<std::string_view> stored = PasswordField(*found.entry, service);
  if (stored) {
    if (std::optional<std::string> plain = PlainFromStored(*stored)) return *std::move(plain);
  }
  return Status::NotSupported("no cleartext password stored for this account");
}

Result<std::string> UserdbBackend::CramMd5Context(std::string_view user, std::string_view service) {
  ROOST_ASSIGN_OR_RETURN(Found found, Find(user));
  const Entry& entry = *found.entry;
  // Courier's cramlib: service-specific precompute first, then the generic one.
  for (const std::string& field : {std::string(service) + "-hmac-md5pw", std::string("hmac-md5pw")}) {
    std::optional<std::string_view> hex = entry.Get(field);
    if (!hex) continue;
    if (std::optional<std::string> context = CramMd5ContextFromStored("{CRAM-MD5}" + std::string(*hex))) {
      return *std::move(context);
    }
    return EntryError(entry, field + " is not 64 hex digits");
  }
  std::optional<std::string_view> stored = PasswordField(entry, service);
  if (stored) {
    if (std::optional<std::string> context = CramMd5ContextFromStored(*stored)) return *std::move(context);
  }
  return Status::NotSupported("no CRAM-MD5 secret stored for this account");
}

}  // namespace roost::auth::userdb
