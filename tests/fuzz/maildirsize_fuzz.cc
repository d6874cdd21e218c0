// libFuzzer target for maildirsize (storage/maildir/maildirsize.h).
// Properties: parsing reads at most 5120 bytes and never crashes; a parsed
// quota spec formats and re-parses to itself; a fresh file written from the
// parsed totals parses back to the same totals with one usage line.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "storage/maildir/maildirsize.h"

namespace {

using namespace roost::storage::maildir;

void Check(bool condition) {
  if (!condition) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  auto m = ParseMaildirsize(in);
  if (!m.has_value()) return 0;
  Check(m->truncated == (size >= kMaildirsizeMaxRead));
  std::string spec = FormatQuotaSpec(m->spec);
  auto spec_again = ParseQuotaSpec(spec);
  Check(spec_again.has_value() && *spec_again == m->spec);
  if (m->truncated && m->spec_text.empty()) return 0;
  auto fresh = ParseMaildirsize(FormatMaildirsize(spec, m->bytes, m->count));
  Check(fresh.has_value());
  Check(fresh->bytes == m->bytes && fresh->count == m->count && fresh->usage_lines == 1);
  RecalcInputs recalc{.file_size = size, .bytes = m->bytes, .count = m->count,
                      .usage_lines = m->usage_lines, .would_exceed = true};
  (void)NeedsRecalc(recalc);
  (void)CheckQuota(m->spec, m->bytes, m->count, m->bytes, m->count).ok();
  return 0;
}
