// libFuzzer target for courierpop3dsizelist (storage/maildir/
// courier_pop3_sizelist.h). Properties: parsing never crashes; an accepted
// list formats as version 3 and parses back to the same entries; UIDL
// strings never contain bytes outside 0x21-0x7E.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "storage/maildir/courier_pop3_sizelist.h"

namespace {

using namespace roost::storage::maildir;

void Check(bool condition) {
  if (!condition) std::abort();
}

bool Printable(std::string_view s) {
  for (char c : s) {
    if (c < 0x21 || c > 0x7E) return false;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  auto list = ParsePop3SizeList(in, 10000);
  if (list.has_value()) {
    auto again = ParsePop3SizeList(FormatPop3SizeList(*list), 10000);
    Check(again.has_value() && again->version == 3 && again->entries == list->entries);
    for (const auto& e : list->entries) Check(Printable(FormatUidl(e.uid, e.uidv)));
  }
  Check(Printable(FormatLegacyUidl(in)));
  return 0;
}
