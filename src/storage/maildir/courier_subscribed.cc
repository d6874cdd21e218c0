#include "storage/maildir/courier_subscribed.h"

#include "storage/maildir/codec_util.h"

namespace roost::storage::maildir {

Result<std::vector<std::string>> ParseSubscribed(std::string_view data, size_t max_entries) {
  constexpr std::string_view kWhat = "courierimapsubscribed";
  ROOST_ASSIGN_OR_RETURN(auto lines, SplitLines(data, kWhat, kMaxSubscriptionLine, max_entries));
  std::vector<std::string> out;
  out.reserve(lines.size());
  for (size_t i = 0; i < lines.size(); ++i) {
    if (lines[i].empty()) continue;
    if (lines[i].find('\0') != std::string_view::npos) return LineError(kWhat, i + 1, "NUL byte");
    out.emplace_back(lines[i]);
  }
  return out;
}

std::string FormatSubscribed(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) {
    out += n;
    out += '\n';
  }
  return out;
}

}  // namespace roost::storage::maildir
