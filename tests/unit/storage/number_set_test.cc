#include <random>
#include <set>

#include <gtest/gtest.h>

#include "storage/types.h"

namespace roost::storage {
namespace {

TEST(NumberSetTest, MergesOverlappingAndAdjacentRanges) {
  NumberSet s;
  s.Add(5, 7);
  s.Add(1, 2);
  s.Add(3, 3);  // adjacent to both neighbours' gap: 1:3 then 5:7
  s.Add(10, 12);
  EXPECT_EQ(s.ToString(), "1:3,5:7,10:12");
  s.Add(4, 9);
  EXPECT_EQ(s.ToString(), "1:12");
  EXPECT_EQ(s.Count(), 12u);
}

TEST(NumberSetTest, ReversedRangeAndExtremes) {
  NumberSet s;
  s.Add(0xFFFFFFFFu, 0xFFFFFFF0u);
  s.Add(1, 1);
  EXPECT_EQ(s.ToString(), "1,4294967280:4294967295");
  EXPECT_TRUE(s.Contains(0xFFFFFFFFu));
  EXPECT_FALSE(s.Contains(2));
  EXPECT_EQ(s.Count(), 17u);
}

TEST(NumberSetTest, MatchesAReferenceSet) {
  std::mt19937 rng(42);
  NumberSet s;
  std::set<uint32_t> ref;
  for (int i = 0; i < 2000; ++i) {
    uint32_t a = rng() % 500, b = a + rng() % 8;
    s.Add(a, b);
    for (uint32_t v = a; v <= b; ++v) ref.insert(v);
  }
  EXPECT_EQ(s.Count(), ref.size());
  for (uint32_t v = 0; v < 520; ++v) ASSERT_EQ(s.Contains(v), ref.count(v) == 1) << v;
  for (size_t i = 1; i < s.ranges().size(); ++i) {
    ASSERT_GT(s.ranges()[i].first, s.ranges()[i - 1].second + 1) << "ranges must be disjoint, non-adjacent";
  }
}

}  // namespace
}  // namespace roost::storage
