#include "storage/mem/mem_search.h"

#include <strings.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <functional>

namespace roost::storage::mem {
namespace {

using Kind = SearchKey::Kind;
constexpr int64_t kSecondsPerDay = 86400;

char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool ContainsIgnoreCase(std::string_view haystack, std::string_view needle) {
  if (needle.empty()) return true;
  auto it = std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end(),
                        [](char a, char b) { return Lower(a) == Lower(b); });
  return it != haystack.end();
}

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

// The header block (up to the empty line) and the body after it.
std::pair<std::string_view, std::string_view> SplitMessage(std::string_view msg) {
  if (msg.starts_with("\r\n")) return {std::string_view(), msg.substr(2)};
  auto pos = msg.find("\r\n\r\n");
  if (pos == std::string_view::npos) return {msg, std::string_view()};
  return {msg.substr(0, pos + 2), msg.substr(pos + 4)};
}

// Calls `fn(name, unfolded value)` for each header field until it returns
// true; returns whether it did.
bool AnyHeader(std::string_view msg, const std::function<bool(std::string_view, std::string_view)>& fn) {
  std::string_view headers = SplitMessage(msg).first;
  std::string field;
  auto flush = [&]() {
    if (field.empty()) return false;
    auto colon = field.find(':');
    if (colon == std::string::npos) return false;
    std::string_view name(field.data(), colon);
    while (!name.empty() && (name.back() == ' ' || name.back() == '\t')) name.remove_suffix(1);
    std::string_view value(field);
    value.remove_prefix(colon + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
    return fn(name, value);
  };
  while (!headers.empty()) {
    auto eol = headers.find("\r\n");
    std::string_view line = headers.substr(0, eol);
    headers.remove_prefix(eol == std::string_view::npos ? headers.size() : eol + 2);
    if (!line.empty() && (line.front() == ' ' || line.front() == '\t')) {
      field.append(line);  // RFC 5322 §2.2.3 unfolding: drop the CRLF only
      continue;
    }
    if (flush()) return true;
    field.assign(line);
  }
  return flush();
}

bool HeaderContains(std::string_view msg, std::string_view name, std::string_view text) {
  return AnyHeader(msg, [&](std::string_view n, std::string_view v) {
    return n.size() == name.size() && ::strncasecmp(n.data(), name.data(), n.size()) == 0 &&
           ContainsIgnoreCase(v, text);
  });
}

bool CompareDay(Kind kind, int64_t day, uint64_t key_day) {
  auto k = static_cast<int64_t>(key_day);
  switch (kind) {
    case Kind::kBefore: case Kind::kSentBefore: case Kind::kSaveDateBefore: return day < k;
    case Kind::kOn: case Kind::kSentOn: case Kind::kSaveDateOn: return day == k;
    default: return day >= k;  // the *Since keys
  }
}

uint64_t KeywordMask(const MemFolder& folder, std::string_view name) {
  auto id = folder.FindKeyword(name);
  return id ? uint64_t{1} << *id : 0;
}

}  // namespace

std::optional<int64_t> SentDay(std::string_view message) {
  std::optional<int64_t> out;
  AnyHeader(message, [&](std::string_view name, std::string_view value) {
    if (name.size() != 4 || ::strncasecmp(name.data(), "date", 4) != 0) return false;
    // [day-of-week ","] day month year ... (RFC 5322 §3.3)
    if (auto comma = value.find(','); comma != std::string_view::npos) value.remove_prefix(comma + 1);
    auto skip_ws = [&] { while (!value.empty() && std::isspace(static_cast<unsigned char>(value.front()))) value.remove_prefix(1); };
    auto number = [&]() -> int {
      skip_ws();
      int n = 0, digits = 0;
      while (!value.empty() && std::isdigit(static_cast<unsigned char>(value.front())) && digits < 5) {
        n = n * 10 + (value.front() - '0');
        value.remove_prefix(1);
        ++digits;
      }
      return digits == 0 ? -1 : n;
    };
    int day = number();
    skip_ws();
    static constexpr std::string_view kMonths[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                                   "jul", "aug", "sep", "oct", "nov", "dec"};
    unsigned month = 0;
    for (unsigned i = 0; i < 12 && value.size() >= 3; ++i) {
      if (::strncasecmp(value.data(), kMonths[i].data(), 3) == 0) month = i + 1;
    }
    if (month == 0) return true;
    value.remove_prefix(3);
    int year = number();
    if (year >= 0 && year < 50) year += 2000;          // obsolete 2-digit years (§4.3)
    else if (year >= 50 && year < 1000) year += 1900;  // and 3-digit ones
    using namespace std::chrono;
    year_month_day ymd{std::chrono::year{year}, std::chrono::month{month}, std::chrono::day{static_cast<unsigned>(day)}};
    if (day > 0 && ymd.ok()) out = sys_days(ymd).time_since_epoch().count();
    return true;
  });
  return out;
}

Result<bool> MatchesSearch(const SearchKey& key, const MemMessage& m, bool recent, const MemFolder& folder,
                           int64_t now) {
  const std::string_view data = *m.data;
  switch (key.kind) {
    case Kind::kAll: return true;
    case Kind::kAnd:
      for (const auto& child : key.children) {
        ROOST_ASSIGN_OR_RETURN(bool match, MatchesSearch(child, m, recent, folder, now));
        if (!match) return false;
      }
      return true;
    case Kind::kOr:
    case Kind::kNot: {
      size_t want = key.kind == Kind::kOr ? 2 : 1;
      if (key.children.size() != want) return Status::InvalidArgument("search: OR needs 2 keys, NOT needs 1");
      ROOST_ASSIGN_OR_RETURN(bool first, MatchesSearch(key.children[0], m, recent, folder, now));
      if (key.kind == Kind::kNot) return !first;
      if (first) return true;
      return MatchesSearch(key.children[1], m, recent, folder, now);
    }
    case Kind::kUids: return key.uids.Contains(m.uid);
    case Kind::kFlagSet: return (m.flags.system & key.number) != 0;
    case Kind::kFlagUnset: return (m.flags.system & key.number) == 0;
    case Kind::kKeyword: return (m.flags.keywords & KeywordMask(folder, key.text)) != 0;
    case Kind::kNoKeyword: return (m.flags.keywords & KeywordMask(folder, key.text)) == 0;
    case Kind::kRecent: return recent;
    case Kind::kNew: return recent && !(m.flags.system & kFlagSeen);
    case Kind::kOld: return !recent;
    case Kind::kLarger: return m.data->size() > key.number;
    case Kind::kSmaller: return m.data->size() < key.number;
    case Kind::kBefore: case Kind::kOn: case Kind::kSince:
      // The internal date's day in its own zone, disregarding time.
      return CompareDay(key.kind, FloorDiv(m.internal_date + int64_t{m.internal_tz} * 60, kSecondsPerDay), key.number);
    case Kind::kSentBefore: case Kind::kSentOn: case Kind::kSentSince: {
      auto day = SentDay(data);
      return day.has_value() && CompareDay(key.kind, *day, key.number);
    }
    case Kind::kSaveDateBefore: case Kind::kSaveDateOn: case Kind::kSaveDateSince:
      return CompareDay(key.kind, FloorDiv(m.save_date, kSecondsPerDay), key.number);
    case Kind::kOlder: return now - m.internal_date > static_cast<int64_t>(key.number);
    case Kind::kYounger: return now - m.internal_date <= static_cast<int64_t>(key.number);
    case Kind::kHeader: return HeaderContains(data, key.header_name, key.text);
    case Kind::kBody: return ContainsIgnoreCase(SplitMessage(data).second, key.text);
    case Kind::kText: return ContainsIgnoreCase(data, key.text);
    case Kind::kModSeq: return m.modseq >= key.number;
    case Kind::kEmailId: return m.email_id == key.text;
    case Kind::kThreadId: return m.thread_id == key.text;
  }
  return Status::NotSupported("search key not supported by MemStore");
}

}  // namespace roost::storage::mem
