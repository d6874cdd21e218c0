// ParsePasswdFile and QuotaFromRules (passwd_file.h).
#include <charconv>
#include <unordered_map>

#include "auth/passwd_file/passwd_file.h"

namespace roost::auth::passwd_file {
namespace {

Status LineError(size_t line, std::string_view what) {
  return Status::InvalidArgument("passwd-file line " + std::to_string(line) + ": " + std::string(what));
}

// Takes the text up to the next ':' (or all of it) off the front of `rest`.
std::string_view NextColumn(std::string_view& rest) {
  size_t colon = rest.find(':');
  std::string_view column = rest.substr(0, colon);
  rest = colon == std::string_view::npos ? std::string_view() : rest.substr(colon + 1);
  return column;
}

void ParseExtra(std::string_view text, Entry& entry) {
  while (!text.empty()) {
    size_t space = text.find_first_of(" \t");
    std::string_view item = text.substr(0, space);
    text = space == std::string_view::npos ? std::string_view() : text.substr(space + 1);
    if (item.empty()) continue;
    size_t eq = item.find('=');
    // A bare name ("nopassword") is a boolean field.
    entry.extra.emplace_back(std::string(item.substr(0, eq)),
                             eq == std::string_view::npos ? std::string() : std::string(item.substr(eq + 1)));
  }
}

Result<Entry> ParseLine(std::string_view line, size_t number) {
  Entry entry;
  entry.line = static_cast<int>(number);
  std::string_view rest = line;
  entry.user = std::string(NextColumn(rest));
  if (entry.user.empty()) return LineError(number, "empty user name");
  entry.password = std::string(NextColumn(rest));
  for (std::string* column : {&entry.uid, &entry.gid, &entry.gecos, &entry.home, &entry.shell}) {
    *column = std::string(NextColumn(rest));
  }
  ParseExtra(rest, entry);
  return entry;
}

// "1G" -> 1073741824 (Dovecot size units are powers of 1024). A bare number
// is scaled by `default_shift`: Dovecot reads storage=N as kilobytes.
std::optional<uint64_t> ParseSize(std::string_view text, int default_shift) {
  uint64_t n = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc() || end == text.data()) return std::nullopt;
  std::string_view unit(end, static_cast<size_t>(text.data() + text.size() - end));
  int shift = 0;
  if (unit.empty()) {
    shift = default_shift;
  } else if (unit == "B" || unit == "b") {
    shift = 0;
  } else if (unit == "K" || unit == "k") {
    shift = 10;
  } else if (unit == "M" || unit == "m") {
    shift = 20;
  } else if (unit == "G" || unit == "g") {
    shift = 30;
  } else if (unit == "T" || unit == "t") {
    shift = 40;
  } else {
    return std::nullopt;
  }
  if (shift != 0 && n > (UINT64_MAX >> shift)) return std::nullopt;
  return n << shift;
}

}  // namespace

std::optional<std::string_view> Entry::Extra(std::string_view name) const {
  std::optional<std::string_view> plain, prefixed;
  for (const auto& [key, value] : extra) {
    if (key == name && !plain) plain = value;
    if (key.size() == name.size() + 7 && key.starts_with("userdb_") && key.substr(7) == name && !prefixed) {
      prefixed = value;
    }
  }
  return prefixed ? prefixed : plain;
}

Result<std::vector<Entry>> ParsePasswdFile(std::string_view text) {
  std::vector<Entry> entries;
  std::unordered_map<std::string, size_t> seen;
  size_t number = 0;
  while (!text.empty()) {
    size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    if (++number > kMaxLines) return LineError(number, "too many lines");
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.size() > kMaxLineLength) return LineError(number, "line too long");
    if (line.find('\0') != std::string_view::npos) return LineError(number, "NUL byte");
    if (line.empty() || line[0] == '#' || line.find_first_not_of(" \t") == std::string_view::npos) continue;
    ROOST_ASSIGN_OR_RETURN(Entry entry, ParseLine(line, number));
    auto [it, inserted] = seen.emplace(entry.user, number);
    if (!inserted) {
      return LineError(number, "duplicate user (first at line " + std::to_string(it->second) + ")");
    }
    entries.push_back(std::move(entry));
  }
  return entries;
}

Result<std::string> QuotaFromRules(const std::vector<std::string_view>& rules) {
  std::optional<uint64_t> bytes, messages;
  for (std::string_view rule : rules) {
    // Only the "*" rule (whole account) maps to Maildir++; per-mailbox rules
    // ("Trash:storage=+10%") have no Maildir++ equivalent.
    if (!rule.starts_with("*:")) continue;
    std::string_view rest = rule.substr(2);
    while (!rest.empty()) {
      size_t colon = rest.find(':');
      std::string_view item = rest.substr(0, colon);
      rest = colon == std::string_view::npos ? std::string_view() : rest.substr(colon + 1);
      size_t eq = item.find('=');
      if (eq == std::string_view::npos) continue;
      std::string_view key = item.substr(0, eq), value = item.substr(eq + 1);
      if (key != "storage" && key != "bytes" && key != "messages") continue;
      std::optional<uint64_t> n = ParseSize(value, key == "storage" ? 10 : 0);
      if (!n) return Status::InvalidArgument("malformed quota rule");
      (key == "messages" ? messages : bytes) = *n;
    }
  }
  std::string spec;
  if (bytes && *bytes > 0) spec = std::to_string(*bytes) + "S";
  if (messages && *messages > 0) spec += (spec.empty() ? "" : ",") + std::to_string(*messages) + "C";
  return spec;
}

}  // namespace roost::auth::passwd_file
