#include "storage/types.h"

#include <algorithm>

#include <fmt/format.h>

namespace roost::storage {

NumberSet::NumberSet(std::vector<Range> ranges) {
  for (auto [first, last] : ranges) Add(first, last);
}

void NumberSet::Add(uint32_t first, uint32_t last) {
  if (first > last) std::swap(first, last);
  // Find the first range that could touch [first, last] (ends at or after
  // first - 1), then absorb every range that overlaps or is adjacent.
  auto it = std::lower_bound(ranges_.begin(), ranges_.end(), first, [](const Range& r, uint32_t v) {
    return static_cast<uint64_t>(r.second) + 1 < v;
  });
  auto end = it;
  while (end != ranges_.end() && static_cast<uint64_t>(end->first) <= static_cast<uint64_t>(last) + 1) {
    first = std::min(first, end->first);
    last = std::max(last, end->second);
    ++end;
  }
  it = ranges_.erase(it, end);
  ranges_.insert(it, Range{first, last});
}

bool NumberSet::Contains(uint32_t n) const {
  auto it = std::lower_bound(ranges_.begin(), ranges_.end(), n,
                             [](const Range& r, uint32_t v) { return r.second < v; });
  return it != ranges_.end() && it->first <= n;
}

uint64_t NumberSet::Count() const {
  uint64_t total = 0;
  for (auto [first, last] : ranges_) total += static_cast<uint64_t>(last) - first + 1;
  return total;
}

std::string NumberSet::ToString() const {
  std::string out;
  for (auto [first, last] : ranges_) {
    if (!out.empty()) out += ',';
    if (first == last) {
      fmt::format_to(std::back_inserter(out), "{}", first);
    } else {
      fmt::format_to(std::back_inserter(out), "{}:{}", first, last);
    }
  }
  return out;
}

}  // namespace roost::storage
