// Courier userdb text source: parser, formatter and editing helpers
// (spec §7.3).
//
// One account per line:
//   name<TAB>field=value|field=value|...
// with fields uid, gid, home, shell, mail (the maildir), quota, options,
// gecos, systempw, <service>pw (imappw, pop3pw, ...), hmac-md5pw,
// <service>-hmac-md5pw and anything else (kept, ignored). '#' starts a
// comment line; blank lines are allowed; "<uid>=<TAB><name>" lines are the
// reverse uid map pw2userdb writes, kept verbatim. A trailing CR is
// tolerated. Values cannot contain '|' or a newline; Courier has no escaping.
//
// Courier's makeuserdb compiles this file into userdb.dat/userdbshadow.dat
// (GDBM). Reading the .dat files is out of scope: Roost reads the text
// source, which is what administrators edit.
//
// The parser is sans-IO and bounded (line length, line count) and reports
// "line N: ..." errors. Parse then Format reproduces a canonical file byte for
// byte (comments and order included), so the editing helpers only touch the
// lines they change.
//
// Thread affinity: value types and pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/result.h"
#include "base/status.h"

namespace roost::auth::userdb {

// Why: a userdb line holds a handful of short fields and a few hashes; 16 KB
// is far beyond any real one and bounds what a corrupt file makes us hold.
inline constexpr size_t kMaxLineLength = 16 * 1024;
// Why: big Courier sites have ~10^5 virtual users; 4M lines still bounds a
// runaway file to a few hundred MB of parse work.
inline constexpr size_t kMaxLines = 4 * 1024 * 1024;
// The whole file, read by the backend.
inline constexpr size_t kMaxFileBytes = 256 * 1024 * 1024;

struct Field {
  std::string name;
  std::string value;
  friend bool operator==(const Field&, const Field&) = default;
};

struct Entry {
  std::string name;
  std::vector<Field> fields;  // file order
  int line = 0;               // 1-based line in the parsed text; 0 if built in code

  // First value of `field`, if present.
  std::optional<std::string_view> Get(std::string_view field) const;
  // Replaces the first `field` (keeping its position) or appends it.
  void Set(std::string_view field, std::string_view value);
  void Remove(std::string_view field);
};

struct Line {
  enum class Kind { kEntry, kOther };  // kOther: comment, blank or reverse map
  Kind kind = Kind::kOther;
  std::string raw;  // kOther only
  Entry entry;      // kEntry only
};

struct Userdb {
  std::vector<Line> lines;
  // Entries in file order (pointers into `lines`, so don't mutate `lines`
  // while holding them).
  std::vector<const Entry*> Entries() const;
  const Entry* Find(std::string_view name) const;
};

Result<Userdb> ParseUserdb(std::string_view text);

// "name\tf=v|f=v". Error kInvalidArgument if the name is empty or has TAB,
// CR, LF, '#' first or '=' last, or a field name/value holds '|', '=' (names
// only), CR or LF: such a line would not read back the same.
Result<std::string> FormatEntry(const Entry& entry);
// Every line, each followed by '\n'.
Result<std::string> FormatUserdb(const Userdb& db);

// Editing helpers for `roostctl user add|passwd|del|list`: text in, text
// out, every other line untouched.
// Replaces the entry named entry.name, or appends it.
Result<std::string> SetUser(std::string_view text, const Entry& entry);
// Removes the entry and any reverse-map line pointing at it; kNotFound if
// absent.
Result<std::string> DeleteUser(std::string_view text, std::string_view name);
// Account names in file order.
Result<std::vector<std::string>> ListUsers(std::string_view text);

// WriteFileAtomically with mode 0600 (makeuserdb refuses a userdb readable
// by others, spec §7.3).
Status WriteUserdbAtomically(const std::string& path, std::string_view text);

}  // namespace roost::auth::userdb
