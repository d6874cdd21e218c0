// libFuzzer target for dovecot-uidlist and dovecot-keywords
// (storage/maildir/dovecot_uidlist.h, dovecot_keywords.h). Properties:
// parsing never crashes; accepted lists have ascending UIDs below nextuid
// and non-empty basenames without '/'; the keyword table formats and parses
// back to itself.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "storage/maildir/courier_uiddb.h"
#include "storage/maildir/dovecot_keywords.h"
#include "storage/maildir/dovecot_uidlist.h"

namespace {

using namespace roost::storage::maildir;

void Check(bool condition) {
  if (!condition) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  auto list = ParseDovecotUidList(in, 10000);
  if (list.has_value()) {
    uint32_t last = 0;
    for (const auto& e : list->uids.entries) {
      Check(e.uid > last && e.uid < list->uids.nextuid);
      Check(e.basename.find('/') == std::string::npos && !e.basename.empty());
      last = e.uid;
    }
    // What Roost writes back for Courier must read back identically.
    auto courier = ParseCourierUidDb(FormatCourierUidDb(list->uids), 10000);
    if (courier.has_value()) Check(*courier == list->uids);
  }
  auto kw = ParseDovecotKeywords(in);
  if (kw.has_value()) {
    auto again = ParseDovecotKeywords(FormatDovecotKeywords(*kw));
    Check(again.has_value() && again->names == kw->names);
    (void)KeywordsFromFlagLetters(in.substr(0, 64), *kw);
  }
  return 0;
}
