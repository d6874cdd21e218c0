#include "auth/userdb/userdb_format.h"

#include <algorithm>
#include <unordered_map>

#include "auth/file_util.h"
#include "base/file_util.h"

namespace roost::auth::userdb {
namespace {

Status LineError(size_t line, std::string_view what) {
  return Status::InvalidArgument("userdb line " + std::to_string(line) + ": " + std::string(what));
}

bool HasAny(std::string_view s, std::string_view chars) {
  return s.find_first_of(chars) != std::string_view::npos;
}

// "1000=" : the key side of a reverse uid map line.
bool IsReverseMapKey(std::string_view key) {
  if (key.size() < 2 || key.back() != '=') return false;
  key.remove_suffix(1);
  return std::all_of(key.begin(), key.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool IsOther(std::string_view line) {
  if (line.empty() || line[0] == '#') return true;
  if (line.find_first_not_of(" \t") == std::string_view::npos) return true;
  size_t tab = line.find('\t');
  return tab != std::string_view::npos && IsReverseMapKey(line.substr(0, tab));
}

Result<Entry> ParseEntry(std::string_view line, size_t number) {
  size_t tab = line.find('\t');
  if (tab == std::string_view::npos) return LineError(number, "no TAB after the account name");
  if (tab == 0) return LineError(number, "empty account name");
  Entry entry;
  entry.name = std::string(line.substr(0, tab));
  entry.line = static_cast<int>(number);
  std::string_view rest = line.substr(tab + 1);
  while (!rest.empty()) {
    size_t bar = rest.find('|');
    std::string_view item = rest.substr(0, bar);
    rest = bar == std::string_view::npos ? std::string_view() : rest.substr(bar + 1);
    if (item.empty()) continue;  // "a=1||b=2": lenient, as Courier's reader is
    size_t eq = item.find('=');
    if (eq == 0) return LineError(number, "field without a name");
    // A bare word is a flag with an empty value; unknown names are kept.
    std::string_view name = item.substr(0, eq);
    std::string_view value = eq == std::string_view::npos ? std::string_view() : item.substr(eq + 1);
    entry.fields.push_back(Field{std::string(name), std::string(value)});
  }
  return entry;
}

// Splits text into lines without their "\n" / "\r\n"; a final line without a
// newline counts too.
template <typename Fn>
Status ForEachLine(std::string_view text, Fn fn) {
  size_t number = 0;
  while (!text.empty()) {
    size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    ++number;
    if (number > kMaxLines) return LineError(number, "too many lines");
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.size() > kMaxLineLength) return LineError(number, "line too long");
    if (line.find('\0') != std::string_view::npos) return LineError(number, "NUL byte");
    ROOST_RETURN_IF_ERROR(fn(line, number));
  }
  return Status::Ok();
}

}  // namespace

std::optional<std::string_view> Entry::Get(std::string_view field) const {
  for (const Field& f : fields) {
    if (f.name == field) return std::string_view(f.value);
  }
  return std::nullopt;
}

void Entry::Set(std::string_view field, std::string_view value) {
  for (Field& f : fields) {
    if (f.name == field) {
      f.value = std::string(value);
      return;
    }
  }
  fields.push_back(Field{std::string(field), std::string(value)});
}

void Entry::Remove(std::string_view field) {
  std::erase_if(fields, [&](const Field& f) { return f.name == field; });
}

std::vector<const Entry*> Userdb::Entries() const {
  std::vector<const Entry*> out;
  for (const Line& line : lines) {
    if (line.kind == Line::Kind::kEntry) out.push_back(&line.entry);
  }
  return out;
}

const Entry* Userdb::Find(std::string_view name) const {
  for (const Line& line : lines) {
    if (line.kind == Line::Kind::kEntry && line.entry.name == name) return &line.entry;
  }
  return nullptr;
}

Result<Userdb> ParseUserdb(std::string_view text) {
  Userdb db;
  std::unordered_map<std::string_view, size_t> seen;  // name -> line
  Status st = ForEachLine(text, [&](std::string_view raw, size_t number) -> Status {
    Line line;
    if (IsOther(raw)) {
      line.raw = std::string(raw);
    } else {
      ROOST_ASSIGN_OR_RETURN(line.entry, ParseEntry(raw, number));
      line.kind = Line::Kind::kEntry;
    }
    db.lines.push_back(std::move(line));
    return Status::Ok();
  });
  ROOST_RETURN_IF_ERROR(st);
  // Two entries for one name would make the answer depend on lookup order.
  for (const Line& line : db.lines) {
    if (line.kind != Line::Kind::kEntry) continue;
    auto [it, inserted] = seen.emplace(line.entry.name, static_cast<size_t>(line.entry.line));
    if (!inserted) {
      return LineError(static_cast<size_t>(line.entry.line),
                       "duplicate account (first at line " + std::to_string(it->second) + ")");
    }
  }
  return db;
}

Result<std::string> FormatEntry(const Entry& entry) {
  const std::string_view& name = entry.name;
  if (name.empty() || HasAny(name, "\t\r\n") || name[0] == '#' || name.back() == '=' ||
      name.find_first_not_of(" ") == std::string_view::npos) {
    return Status::InvalidArgument("account name cannot be written to userdb");
  }
  std::string out = entry.name;
  out.push_back('\t');
  bool first = true;
  for (const Field& f : entry.fields) {
    if (f.name.empty() || HasAny(f.name, "=|\r\n") || HasAny(f.value, "|\r\n")) {
      return Status::InvalidArgument("userdb field '" + f.name + "' cannot be written");
    }
    if (!first) out.push_back('|');
    first = false;
    out.append(f.name).append("=").append(f.value);
  }
  if (out.size() > kMaxLineLength) return Status::InvalidArgument("userdb entry too long");
  return out;
}

Result<std::string> FormatUserdb(const Userdb& db) {
  std::string out;
  for (const Line& line : db.lines) {
    if (line.kind == Line::Kind::kEntry) {
      ROOST_ASSIGN_OR_RETURN(std::string formatted, FormatEntry(line.entry));
      out.append(formatted);
    } else {
      out.append(line.raw);
    }
    out.push_back('\n');
  }
  return out;
}

Result<std::string> SetUser(std::string_view text, const Entry& entry) {
  ROOST_ASSIGN_OR_RETURN(std::string formatted, FormatEntry(entry));
  ROOST_ASSIGN_OR_RETURN(Userdb db, ParseUserdb(text));
  bool replaced = false;
  for (Line& line : db.lines) {
    if (line.kind == Line::Kind::kEntry && line.entry.name == entry.name) {
      line.entry = entry;
      replaced = true;
    }
  }
  if (!replaced) {
    Line line;
    line.kind = Line::Kind::kEntry;
    line.entry = entry;
    db.lines.push_back(std::move(line));
  }
  return FormatUserdb(db);
}

Result<std::string> DeleteUser(std::string_view text, std::string_view name) {
  ROOST_ASSIGN_OR_RETURN(Userdb db, ParseUserdb(text));
  size_t before = db.lines.size();
  std::erase_if(db.lines, [&](const Line& line) {
    return line.kind == Line::Kind::kEntry && line.entry.name == name;
  });
  if (db.lines.size() == before) return Status::NotFound("no such userdb account");
  std::erase_if(db.lines, [&](const Line& line) {
    if (line.kind != Line::Kind::kOther) return false;
    size_t tab = line.raw.find('\t');
    return tab != std::string::npos && IsReverseMapKey(std::string_view(line.raw).substr(0, tab)) &&
           std::string_view(line.raw).substr(tab + 1) == name;
  });
  return FormatUserdb(db);
}

Result<std::vector<std::string>> ListUsers(std::string_view text) {
  ROOST_ASSIGN_OR_RETURN(Userdb db, ParseUserdb(text));
  std::vector<std::string> names;
  for (const Entry* e : db.Entries()) names.push_back(e->name);
  return names;
}

Status WriteUserdbAtomically(const std::string& path, std::string_view text) {
  return ReplaceFileAtomically(path, text, {.mode = 0600});
}

}  // namespace roost::auth::userdb
