#include "storage/maildir/maildirsize.h"

#include <algorithm>
#include <cstdio>

#include "storage/maildir/codec_util.h"

namespace roost::storage::maildir {
namespace {

constexpr std::string_view kWhat = "maildirsize";

// Splits on runs of spaces/tabs (Courier's lines are right-aligned).
std::vector<std::string_view> Words(std::string_view line) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < line.size() && out.size() < 3) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    size_t start = i;
    while (i < line.size() && line[i] != ' ' && line[i] != '\t') ++i;
    if (i > start) out.push_back(line.substr(start, i - start));
  }
  return out;
}

bool Exceeds(const std::optional<uint64_t>& limit, int64_t cur, int64_t add) {
  if (!limit || *limit == 0) return false;
  __int128 total = static_cast<__int128>(cur) + add;
  return total > static_cast<__int128>(*limit);
}

}  // namespace

Result<QuotaSpec> ParseQuotaSpec(std::string_view spec) {
  QuotaSpec out;
  if (spec.empty()) return out;
  bool more = true;
  while (more) {
    size_t comma = spec.find(',');
    std::string_view part = spec.substr(0, comma);
    more = comma != std::string_view::npos;
    spec = more ? spec.substr(comma + 1) : std::string_view();
    if (part.size() < 2) return Status::Corruption("maildirsize: bad quota spec part");
    auto n = ParseU64(part.substr(0, part.size() - 1));
    if (!n) return Status::Corruption("maildirsize: bad quota number");
    if (part.back() != 'S' && part.back() != 'C') {
      return Status::Corruption("maildirsize: unknown quota suffix");
    }
    std::optional<uint64_t>& slot = part.back() == 'S' ? out.bytes : out.count;
    if (slot) return Status::Corruption("maildirsize: repeated quota part");
    slot = *n;
  }
  return out;
}

QuotaSpec ParseQuotaSpecLenient(std::string_view spec) {
  QuotaSpec out;
  size_t i = 0;
  while (i < spec.size()) {
    if (spec[i] < '0' || spec[i] > '9') {
      ++i;
      continue;
    }
    size_t start = i;
    while (i < spec.size() && spec[i] >= '0' && spec[i] <= '9') ++i;
    auto n = ParseU64(spec.substr(start, i - start));
    if (!n || i == spec.size()) continue;  // overflow or no suffix: skipped
    std::optional<uint64_t> value;
    if (*n != 0) value = *n;
    if (spec[i] == 'S') out.bytes = value;
    if (spec[i] == 'C') out.count = value;
  }
  return out;
}

std::string FormatQuotaSpec(const QuotaSpec& spec) {
  std::string out;
  if (spec.bytes && *spec.bytes != 0) out += std::to_string(*spec.bytes) + "S";
  if (spec.count && *spec.count != 0) {
    if (!out.empty()) out += ',';
    out += std::to_string(*spec.count) + "C";
  }
  return out;
}

Result<Maildirsize> ParseMaildirsize(std::string_view data) {
  Maildirsize out;
  if (data.size() >= kMaildirsizeMaxRead) {
    out.truncated = true;
    data = data.substr(0, kMaildirsizeMaxRead);
    // Like Courier, still take the quota from line 1 even if it is cut off.
    std::string_view first = data.substr(0, std::min(data.find('\n'), kMaildirsizeMaxRead - 1));
    out.spec_text = std::string(first);
    out.spec = ParseQuotaSpecLenient(first);
    size_t last_nl = data.rfind('\n');
    data = last_nl == std::string_view::npos ? std::string_view() : data.substr(0, last_nl + 1);
  }
  ROOST_ASSIGN_OR_RETURN(auto lines, SplitLines(data, kWhat, kMaildirsizeMaxRead, kMaildirsizeMaxRead));
  if (lines.empty()) {
    if (out.truncated) return out;  // one huge line: only a recalc can help
    return Status::Corruption("maildirsize: empty file");
  }
  out.spec_text = std::string(lines[0]);
  out.spec = ParseQuotaSpecLenient(lines[0]);
  for (size_t i = 1; i < lines.size(); ++i) {
    auto w = Words(lines[i]);
    if (w.empty()) continue;  // tolerate blank lines
    if (w.size() != 2) return LineError(kWhat, i + 1, "expected '<bytes> <count>'");
    auto b = ParseI64(w[0]);
    auto c = ParseI64(w[1]);
    if (!b || !c) return LineError(kWhat, i + 1, "bad number");
    if (__builtin_add_overflow(out.bytes, *b, &out.bytes) ||
        __builtin_add_overflow(out.count, *c, &out.count)) {
      return LineError(kWhat, i + 1, "sum overflows");
    }
    ++out.usage_lines;
  }
  return out;
}

std::string FormatMaildirsizeLine(int64_t bytes, int64_t count) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%12lld %12lld\n", static_cast<long long>(bytes),
                static_cast<long long>(count));
  return buf;
}

std::string FormatMaildirsize(std::string_view spec_text, int64_t bytes, int64_t count) {
  std::string out(spec_text);
  out += '\n';
  out += FormatMaildirsizeLine(bytes, count);
  return out;
}

bool NeedsRecalc(const RecalcInputs& in) {
  if (in.file_missing || in.parse_failed) return true;
  if (in.file_size >= kMaildirsizeMaxRead) return true;
  if (in.bytes < 0 || in.count < 0) return true;
  if (in.would_exceed) {
    return in.usage_lines != 1 || in.mtime_age_seconds >= kMaildirsizeTrustSeconds;
  }
  return false;
}

Status CheckQuota(const QuotaSpec& spec, int64_t cur_bytes, int64_t cur_count, int64_t add_bytes,
                  int64_t add_count) {
  if (add_bytes <= 0 && add_count <= 0) return Status::Ok();
  if (Exceeds(spec.bytes, cur_bytes, add_bytes) || Exceeds(spec.count, cur_count, add_count)) {
    return Status::Mail(MailError::kNoQuota, "maildir quota exceeded");
  }
  return Status::Ok();
}

}  // namespace roost::storage::maildir
