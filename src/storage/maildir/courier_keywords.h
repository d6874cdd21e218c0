// courierimapkeywords/ (spec §2.7): Courier-IMAP's per-folder keyword store.
//
//   :list                 keyword names, one per line; a blank line; then
//                         "<basename>:<idx> <idx> ..." per message with
//                         keywords (indexes 0-based into the names)
//   <basename>            pending update: the message's full keyword set,
//                         one per line (empty file = no keywords)
//   .<N>.<basename>       aged update, already merged when N was T+1
//                         (T = now / 300, i.e. 5-minute ticks)
//
// This header holds the formats and the pure merge decision; reading the
// directory, file ages and the renames themselves belong to the engine.
// Pure functions. Thread affinity: thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/result.h"
#include "storage/maildir/codec_util.h"

namespace roost::storage::maildir {

// Keywords per message: basename -> keyword names. Ordered, so formatting is
// deterministic. A message without keywords has no entry.
using KeywordMap = std::map<std::string, std::set<std::string>, std::less<>>;

// The :list file as written, for byte-exact round trips.
struct KeywordListFile {
  struct Entry {
    std::string basename;
    std::vector<uint32_t> indexes;
  };
  std::vector<std::string> names;
  std::vector<Entry> entries;
  // Entry lines or indexes the parser dropped; non-zero means the file
  // should be rewritten (Courier's maildir_kwImport does the same).
  size_t dropped = 0;
};

// Reads :list as Courier does: names up to the first blank line, then
// "<basename>:<idx> ..." with the basename ending at the first ':'. Like
// Courier, damage is skipped rather than fatal, so one bad line does not
// cost every message its keywords: a line without ':' (or with an empty or
// '/'-containing basename) and an index that is not a number or is out of
// range are dropped and counted in `dropped`. Fails only on limits:
// Corruption ("courierimapkeywords/:list line N: line too long") or
// ResourceExhausted past `max_entries` lines.
Result<KeywordListFile> ParseKeywordList(std::string_view data,
                                         size_t max_entries = kDefaultMaxEntries);
// An empty list formats as "" ; Courier then deletes :list instead of
// writing an empty file, and so should the engine.
std::string FormatKeywordList(const KeywordListFile& list);

// Interpretation of a parsed :list (duplicate indexes collapse).
KeywordMap KeywordMapFromList(const KeywordListFile& list);
// The :list Courier would write for `map`: used names sorted, messages
// sorted by basename, indexes ascending. An empty map gives an empty file.
KeywordListFile KeywordListFromMap(const KeywordMap& map);

// Per-message update file content: one keyword per line, read up to the
// first blank line or the end (as Courier's read_updates does). Corruption
// on overlong lines or more than `max_keywords` lines.
inline constexpr size_t kMaxKeywordsPerMessage = 1024;
Result<std::set<std::string>> ParseKeywordUpdate(std::string_view content,
                                                 size_t max_keywords = kMaxKeywordsPerMessage);
std::string FormatKeywordUpdate(const std::set<std::string>& keywords);

// IMAP side sanitisation (imapd.c KEYWORD_IMAPVERBOTTEN): space ( ) { % *
// " \ ] become '_'. We also map control bytes and DEL, which no atom may
// hold, and '\n' in particular would break the file format.
std::string SanitizeImapKeyword(std::string_view name);

// What a directory entry of courierimapkeywords/ is.
struct KeywordFileName {
  // kOther also covers Courier's ".tmp.<time>..." scratch files and
  // ".0.x" (Courier's atoi-style parse treats N = 0 as "not a number").
  enum class Kind { kList, kPending, kAged, kOther };
  Kind kind = Kind::kOther;
  uint64_t n = 0;             // for kAged
  std::string_view basename;  // for kPending and kAged
};
KeywordFileName ClassifyKeywordFile(std::string_view name);
std::string AgedKeywordFileName(uint64_t n, std::string_view basename);

struct KeywordUpdateFile {
  std::string name;     // directory entry name ("<basename>" or ".<N>.<basename>")
  std::string content;  // file content
  bool message_exists = true;  // the message is in new/ or cur/
  bool stale = false;          // the file is at least 15 minutes old
};

struct KeywordMergeResult {
  KeywordMap keywords;   // the state to serve (and to write as :list)
  bool list_changed = false;  // :list must be rewritten before the renames
  std::vector<std::pair<std::string, std::string>> renames;  // from -> to
  std::vector<std::string> deletes;
};

// §2.7 load, following Courier's maildirkeywords.c: start from :list, then
// for each message apply its newest update (the pending file if any, else
// the aged one with the largest N). Housekeeping per message:
//   * the pending file is renamed to ".<T+1>.<basename>";
//   * of the old aged files (N < T), all but the largest N are deleted;
//     recent ones (N >= T) are kept, another reader may still need them;
//   * a message's only file, if it is an old aged one, is deleted (it was
//     merged into :list long ago).
// Updates for messages that no longer exist are not applied and are deleted
// once stale. `tick` is T = now / 300. The engine must write :list (if
// list_changed) before doing the renames and deletes. Fails only on limits
// (the error names the file); a damaged :list is read leniently and sets
// list_changed so it is rewritten.
Result<KeywordMergeResult> MergeKeywordUpdates(std::string_view list_content,
                                               const std::vector<KeywordUpdateFile>& updates,
                                               uint64_t tick);

}  // namespace roost::storage::maildir
