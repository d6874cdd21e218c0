// libFuzzer target for courierimapuiddb (storage/maildir/courier_uiddb.h)
// and the other line-oriented Courier lists (courierimapsubscribed).
// Properties: parsing never crashes; an accepted uiddb has ascending UIDs
// below nextuid and formats to text that parses back to the same list.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "storage/maildir/courier_subscribed.h"
#include "storage/maildir/courier_uiddb.h"

namespace {

using namespace roost::storage::maildir;

void Check(bool condition) {
  if (!condition) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  auto list = ParseCourierUidDb(in, 10000);
  if (list.has_value()) {
    uint32_t last = 0;
    for (const auto& e : list->entries) {
      Check(e.uid > last && e.uid < list->nextuid);
      last = e.uid;
    }
    auto again = ParseCourierUidDb(FormatCourierUidDb(*list), 10000);
    Check(again.has_value() && *again == *list);
  }
  auto subs = ParseSubscribed(in, 10000);
  if (subs.has_value()) {
    auto again = ParseSubscribed(FormatSubscribed(*subs), 10000);
    Check(again.has_value() && *again == *subs);
  }
  return 0;
}
