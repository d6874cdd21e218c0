// maildirsize (spec §2.5, Courier's README.maildirquota): the Maildir++
// quota file in the main maildir.
//
//   10000000S,1000C                 quota spec: <n>S bytes and/or <n>C messages
//   <bytes> <count>                 one line per change, negatives for removals
//
// Usage is the sum of all lines after the spec. Courier writes each line as
// printf("%12s %12s\n"), i.e. 26 bytes for small numbers. Readers read at
// most 5120 bytes; a file that fills the buffer means "recalculate".
// Pure functions. Thread affinity: thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/result.h"
#include "base/status.h"

namespace roost::storage::maildir {

// Courier's read buffer: a file this large or larger is recalculated.
inline constexpr size_t kMaildirsizeMaxRead = 5120;
// Over quota with a single usage line is trusted for this long (15 min).
inline constexpr int64_t kMaildirsizeTrustSeconds = 15 * 60;

struct QuotaSpec {
  std::optional<uint64_t> bytes;  // "<n>S"
  std::optional<uint64_t> count;  // "<n>C"
  bool operator==(const QuotaSpec&) const = default;
};

// Strict parse for quota strings we are given (config, roostctl):
// "10000000S,1000C", either part optional, empty = no limits. Corruption on
// unknown suffixes, missing numbers or repeated parts.
Result<QuotaSpec> ParseQuotaSpec(std::string_view spec);
// Lenient parse for line 1 of an existing maildirsize, reading it the way
// Courier does (maildirquota.c parsequotastr): every run of digits followed
// by 'S' or 'C' sets that limit (the last one wins), anything else is
// skipped, and 0 means "no limit". So a file Courier honours keeps its quota
// here. Never fails.
QuotaSpec ParseQuotaSpecLenient(std::string_view spec);
// Bytes first, then count: "10000000S,1000C", "20C", "" for no limits.
// Zero limits are omitted, as Courier writes them.
std::string FormatQuotaSpec(const QuotaSpec& spec);

struct Maildirsize {
  std::string spec_text;  // line 1 verbatim
  QuotaSpec spec;
  int64_t bytes = 0;      // sum of usage lines
  int64_t count = 0;
  size_t usage_lines = 0; // lines after the spec
  bool truncated = false; // input was >= kMaildirsizeMaxRead bytes
};

// Parses at most the first kMaildirsizeMaxRead bytes of `data`; when that
// much is present, the partial last line is dropped and `truncated` is set
// (NeedsRecalc then says yes). Line 1 is read with ParseQuotaSpecLenient.
// Corruption ("maildirsize line N: ...") on a malformed usage line or if the
// sums overflow 64 bits; Courier would skip such a line, we ask the caller
// to recalculate instead (NeedsRecalc with parse_failed), which rewrites
// the file cleanly.
Result<Maildirsize> ParseMaildirsize(std::string_view data);

// One usage line exactly as Courier writes it: "%12s %12s\n".
std::string FormatMaildirsizeLine(int64_t bytes, int64_t count);

// A fresh file after recalculation: spec line plus one usage line.
std::string FormatMaildirsize(std::string_view spec_text, int64_t bytes, int64_t count);

struct RecalcInputs {
  bool file_missing = false;
  bool parse_failed = false;
  uint64_t file_size = 0;     // bytes read (or st_size)
  int64_t bytes = 0;          // totals from the file
  int64_t count = 0;
  size_t usage_lines = 0;
  int64_t mtime_age_seconds = 0;  // now - st_mtime
  bool would_exceed = false;  // the totals plus the pending change are over quota
};

// §2.5: recalculate when the file is missing, unparsable, >= 5120 bytes or
// has negative totals. When the change would go over quota, the totals are
// trusted (and the change refused) only if the file is exactly one usage
// line, i.e. freshly recalculated, and less than 15 minutes old; otherwise
// recalculate (maildirquota.c: nlines == 1 && now < mtime + 15*60).
bool NeedsRecalc(const RecalcInputs& in);

// Whether adding (add_bytes, add_count) to the usage exceeds `spec`: as in
// Courier, over if either total after the change is above its limit (so a
// mailbox already over its message count refuses any new message). A
// change that grows nothing (a pure removal) always passes; a limit of 0
// means unlimited. Returns
// Status::Mail(MailError::kNoQuota, ...) when over quota.
Status CheckQuota(const QuotaSpec& spec, int64_t cur_bytes, int64_t cur_count, int64_t add_bytes,
                  int64_t add_count);

}  // namespace roost::storage::maildir
