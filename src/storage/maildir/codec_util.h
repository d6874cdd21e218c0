// Internal helpers shared by the Maildir++ side-file codecs: bounded line
// splitting, strict decimal parsing and "<file> line N: reason" errors.
//
// Not a public API of storage; only the codecs in this folder include it.
// Pure functions, no filesystem access. Thread affinity: thread-safe (no
// state).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "base/status.h"

namespace roost::storage::maildir {

// Longest line any side file may hold. Maildir filenames are at most 255
// bytes (NAME_MAX); the longest line format (courierpop3dsizelist) adds three
// numbers, and courierimapkeywords/:list adds index lists, so 16 KiB leaves
// generous room while bounding memory per line.
inline constexpr size_t kMaxSideFileLine = 16 * 1024;

// Default cap on entries (lines) in one side file. A folder with a million
// messages is already far beyond what Courier handles comfortably.
inline constexpr size_t kDefaultMaxEntries = 1'000'000;

// Splits `data` on '\n'. A single trailing newline does not produce an empty
// last line; a missing final newline is tolerated. Fails with Corruption
// ("<what> line N: line too long") when a line exceeds `max_line`, or
// ResourceExhausted when there are more than `max_lines` lines. Linear time.
Result<std::vector<std::string_view>> SplitLines(std::string_view data, std::string_view what,
                                                 size_t max_line, size_t max_lines);

// Corruption("<what> line <n>: <reason>"); `line_no` is 1-based.
Status LineError(std::string_view what, size_t line_no, std::string_view reason);

// Strict unsigned decimal: non-empty, digits only, no sign, no overflow.
std::optional<uint64_t> ParseU64(std::string_view s);
// Strict signed decimal: optional leading '-', then digits; no overflow.
std::optional<int64_t> ParseI64(std::string_view s);
// ParseU64 limited to 32 bits.
std::optional<uint32_t> ParseU32(std::string_view s);

// Splits on single spaces into at most `max_fields` fields; the last field
// keeps the rest of the line (which may contain spaces).
std::vector<std::string_view> SplitFields(std::string_view line, size_t max_fields);

// True if `s` is well-formed UTF-8 (RFC 3629: no overlongs, no surrogates,
// nothing above U+10FFFF).
bool IsValidUtf8(std::string_view s);

}  // namespace roost::storage::maildir
