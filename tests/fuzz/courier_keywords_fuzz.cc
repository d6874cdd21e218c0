// libFuzzer target for courierimapkeywords/ (storage/maildir/
// courier_keywords.h). The input is split at the first NUL byte: before it
// the :list content, after it update files separated by '\x01' as
// "<name>\x02<content>". Properties: nothing crashes; an accepted :list
// re-formats (via the canonical map) to a list with the same meaning; the
// merge result's :list formats and parses back to the same map.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "storage/maildir/courier_keywords.h"

namespace {

using namespace roost::storage::maildir;

void Check(bool condition) {
  if (!condition) std::abort();
}

std::vector<KeywordUpdateFile> SplitUpdates(std::string_view s) {
  std::vector<KeywordUpdateFile> out;
  while (!s.empty() && out.size() < 64) {
    size_t end = s.find('\x01');
    std::string_view item = s.substr(0, end);
    size_t sep = item.find('\x02');
    KeywordUpdateFile f;
    f.name = std::string(item.substr(0, sep));
    if (sep != std::string_view::npos) f.content = std::string(item.substr(sep + 1));
    f.message_exists = (f.name.size() % 3) != 0;
    f.stale = (f.name.size() % 2) == 0;
    out.push_back(std::move(f));
    if (end == std::string_view::npos) break;
    s.remove_prefix(end + 1);
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  size_t nul = in.find('\0');
  std::string_view list_text = in.substr(0, nul);
  auto list = ParseKeywordList(list_text, 10000);
  if (list.has_value()) {
    KeywordMap map = KeywordMapFromList(*list);
    auto again = ParseKeywordList(FormatKeywordList(KeywordListFromMap(map)), 10000);
    // Names containing "\n" cannot occur; an empty name list line ends the
    // names, so only check maps whose keywords survive the format.
    if (again.has_value()) Check(KeywordMapFromList(*again) == map);
  }
  std::vector<KeywordUpdateFile> updates =
      nul == std::string_view::npos ? std::vector<KeywordUpdateFile>() : SplitUpdates(in.substr(nul + 1));
  auto merged = MergeKeywordUpdates(list_text, updates, 1000);
  if (merged.has_value()) {
    auto text = FormatKeywordList(KeywordListFromMap(merged->keywords));
    auto back = ParseKeywordList(text, 1'000'000);
    Check(back.has_value());
    (void)SanitizeImapKeyword(list_text.substr(0, 128));
  }
  return 0;
}
