// libFuzzer target for the Maildir filename codec (storage/maildir/
// maildir_filename.h). Properties: parsing never crashes; a parsed cur/
// name re-formatted with its own flags parses back to the same base, flags
// and unknown letters; sanitised hostnames never contain '/' or ':'.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "storage/maildir/maildir_filename.h"

namespace {

using namespace roost::storage::maildir;

void Check(bool condition) {
  if (!condition) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  auto parsed = ParseMaildirFilename(in);
  if (parsed.has_value()) {
    Check(parsed->base.size() <= in.size());
    std::string cur =
        FormatCurName(parsed->base, parsed->flags, parsed->unknown_flags, parsed->info_extra);
    if (cur.size() <= kMaxFilenameLength) {
      auto again = ParseMaildirFilename(cur);
      Check(again.has_value());
      Check(again->base == parsed->base);
      Check(again->flags == parsed->flags);
      Check(again->unknown_flags.find_first_of("DFRST") == std::string::npos);
      Check(again->info_extra == parsed->info_extra);
      if (parsed->has_flags_info) Check(again->unknown_flags == parsed->unknown_flags);
    }
  }
  std::string host = SanitizeHostname(in);
  Check(host.find_first_of("/:,") == std::string::npos);
  UniqueNameParts parts{.sec = 1, .usec = 2, .pid = 3, .uniq = "", .host = in.substr(0, 32), .size = size};
  std::string final_name = FormatFinalName(parts, size, size);
  auto final_parsed = ParseMaildirFilename(final_name);
  Check(final_parsed.has_value() && !final_parsed->has_info && final_parsed->size == size);
  return 0;
}
