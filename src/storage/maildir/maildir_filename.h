// Maildir message filenames: parse, rewrite the flag info, and generate new
// unique names (spec/courier-behaviour.md §2.2, maildir(5)).
//
// A name is "<base>[:<info>]". The base is the unique part and carries the
// optional size hints ",S=<bytes>" (Courier, maildir(5)) and ",W=<bytes>"
// (Dovecot's CRLF size; accepted and otherwise ignored, as Courier does). Info
// "2,<letters>" holds the flags. Dovecot extends it to
// "2,<letters>[,<fields>]" and leaves everything from that ',' alone; we
// do the same: flag letters are read before the ',' only, and the rest is
// kept verbatim in `info_extra` (Courier would also read flag letters after
// the ',', but no Courier program writes one, so the two agree on every
// name Courier creates). Pure functions, no filesystem access.
//
// Thread affinity: thread-safe (no state).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/result.h"
#include "storage/maildir/flags.h"

namespace roost::storage::maildir {

// NAME_MAX on every filesystem we care about.
inline constexpr size_t kMaxFilenameLength = 255;

struct ParsedFilename {
  std::string_view base;          // everything before the last ':' (or the whole name)
  std::string_view info;          // everything after the last ':' (empty if none)
  bool has_info = false;          // a ':' was present
  bool has_flags_info = false;    // the info starts with "2,"
  Flags flags;                    // D F R S T found anywhere after ":2,"
  std::string unknown_flags;      // other letters after ":2,", in order, deduplicated
  std::string_view info_extra;    // ",<fields>" after the letters (Dovecot), or empty
  std::optional<uint64_t> size;   // ",S=<n>"
  std::optional<uint64_t> vsize;  // ",W=<n>" (Dovecot)
};

// Parses a directory entry of new/ or cur/. Fails (InvalidArgument) for
// names that cannot be messages: empty, longer than 255 bytes, starting
// with '.' (readers skip hidden files), or containing '/' or NUL. A name
// whose info is not "2,..." (e.g. the experimental "1,") parses with
// has_flags_info = false and no flags. The returned views point into `name`.
Result<ParsedFilename> ParseMaildirFilename(std::string_view name);

// Courier searches backwards from the ':' for ",S=" (§2.2): the size hint
// of `base`, if any. Same for Dovecot's ",W=".
std::optional<uint64_t> FindSizeHint(std::string_view base, char key);

// "<base>:2,<letters>": D F R S T (those set, in that order) followed by the
// preserved unknown letters, as Courier rewrites them (§2.2: "003:2,ATDB"
// with T and D cleared becomes "003:2,AB"), then `info_extra` verbatim.
// Duplicates and any of "DFRST" inside `unknown_flags` are dropped.
// REQUIRES: unknown_flags without ',' ':' '/' NUL; info_extra empty or
// starting with ','.
std::string FormatCurName(std::string_view base, Flags flags, std::string_view unknown_flags,
                          std::string_view info_extra = {});

// The flag letters only ("DS", "FSab"), same ordering rule.
std::string FormatFlagLetters(Flags flags, std::string_view unknown_flags);

// maildir(5): '/' becomes "\057" and ':' becomes "\072" so the hostname can
// neither escape the directory nor start the info part. We also escape '\'
// (so the escaping is reversible), ',' (would start a fake ",S=" hint) and
// control bytes, all as backslash + three octal digits.
std::string SanitizeHostname(std::string_view host);

struct UniqueNameParts {
  int64_t sec = 0;        // time of creation, seconds
  int64_t usec = 0;       // microseconds part
  int64_t pid = 0;
  std::string_view uniq;  // per-process counter or tag; omitted (no '_') if empty
  std::string_view host;  // raw hostname; sanitised by the formatter
  std::optional<uint64_t> size;  // ",S=<n>" appended when set
};

// tmp/ name: "<sec>.M<usec>P<pid>[_<uniq>].<host>[,S=<size>]".
std::string FormatTmpName(const UniqueNameParts& parts);

// new/ name: "<sec>.M<usec>P<pid>V<dev-hex>I<ino-hex>[_<uniq>].<host>[,S=<size>]",
// dev/ino from fstat of the tmp file, lowercase hex.
std::string FormatFinalName(const UniqueNameParts& parts, uint64_t dev, uint64_t ino);

}  // namespace roost::storage::maildir
