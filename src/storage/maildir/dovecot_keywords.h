// dovecot-keywords: Dovecot's per-maildir keyword table, read when taking
// over a Dovecot tree. Lines are "<idx> <name>". Dovecot stores keyword
// <idx> in a filename as the lowercase letter 'a' + idx after ":2," (so
// "...:2,Sa" is \Seen plus keyword 0); only 26 keywords fit in letters.
// Roost never writes this file; FormatDovecotKeywords exists for tests and
// for tools that hand a tree back.
// Pure functions. Thread affinity: thread-safe.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace roost::storage::maildir {

inline constexpr size_t kDovecotMaxKeywords = 26;  // 'a'..'z'

struct DovecotKeywords {
  // names[idx]; empty string = index unused.
  std::array<std::string, kDovecotMaxKeywords> names;
};

// Lines with an index >= 26 cannot be referenced from a filename and are
// skipped. Malformed lines, duplicate indexes and empty names fail with
// Corruption ("dovecot-keywords line N: ..."); more than
// kDovecotKeywordsMaxLines lines with ResourceExhausted.
inline constexpr size_t kDovecotKeywordsMaxLines = 4096;
Result<DovecotKeywords> ParseDovecotKeywords(std::string_view data);

// "<idx> <name>\n" for each used index, ascending.
std::string FormatDovecotKeywords(const DovecotKeywords& keywords);

// 'a'..'z' -> 0..25; anything else -> nullopt.
std::optional<size_t> KeywordIndexFromLetter(char letter);
// 0..25 -> 'a'..'z'. REQUIRES: index < 26.
char LetterFromKeywordIndex(size_t index);

// The keyword names referenced by the flag letters of a filename (e.g.
// ParsedFilename::unknown_flags). Letters that are not 'a'..'z' or name an
// unused index are ignored. Order follows the letters.
std::vector<std::string> KeywordsFromFlagLetters(std::string_view letters,
                                                 const DovecotKeywords& keywords);

}  // namespace roost::storage::maildir
