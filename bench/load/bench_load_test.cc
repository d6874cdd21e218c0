// Unit tests for roost-bench's server-independent parts: the latency
// histogram and IMAP tagged-reply recognition.
#include <gtest/gtest.h>

#include <cmath>

#include "histogram.h"
#include "imap_client.h"
#include "profile.h"

namespace roost::bench {
namespace {

TEST(HistogramTest, EmptyReportsZero) {
  Histogram h;
  EXPECT_EQ(h.count(), 0u);
  EXPECT_EQ(h.Quantile(0.5), 0u);
  EXPECT_EQ(h.max(), 0u);
}

TEST(HistogramTest, SmallValuesAreExact) {
  Histogram h;
  for (uint64_t v = 1; v <= 50; ++v) h.Record(v);
  EXPECT_EQ(h.Quantile(0.5), 25u);
  EXPECT_EQ(h.Quantile(1.0), 50u);
  EXPECT_EQ(h.min(), 1u);
}

TEST(HistogramTest, QuantilesWithinBucketPrecision) {
  Histogram h;
  // 1 us .. 100 ms in 1 us steps would be 100k samples; use every 7 us.
  std::vector<uint64_t> values;
  for (uint64_t v = 1000; v <= 100'000'000; v += 7000) values.push_back(v);
  for (uint64_t v : values) h.Record(v);
  for (double q : {0.5, 0.9, 0.99, 0.999}) {
    auto rank = static_cast<size_t>(std::ceil(q * values.size())) - 1;
    double truth = static_cast<double>(values[rank]);
    double got = static_cast<double>(h.Quantile(q));
    EXPECT_GE(got, truth) << q;  // upper bucket edge: never optimistic
    EXPECT_LE(got, truth * 1.032) << q;
  }
  EXPECT_EQ(h.Quantile(1.0), values.back());
}

TEST(HistogramTest, MergeEqualsRecordingEverything) {
  Histogram a, b, all;
  for (uint64_t v = 1; v < 100000; v += 13) {
    (v % 2 ? a : b).Record(v * 31);
    all.Record(v * 31);
  }
  a.Merge(b);
  EXPECT_EQ(a.count(), all.count());
  EXPECT_EQ(a.max(), all.max());
  EXPECT_EQ(a.min(), all.min());
  for (double q : {0.1, 0.5, 0.99}) EXPECT_EQ(a.Quantile(q), all.Quantile(q));
}

TEST(HistogramTest, HugeValuesDoNotOverflowBuckets) {
  Histogram h;
  h.Record(UINT64_MAX);
  h.Record(uint64_t{1} << 63);
  EXPECT_EQ(h.Quantile(1.0), UINT64_MAX);
}

TEST(IsTaggedTest, RecognisesItsOwnTagOnly) {
  std::string_view status;
  EXPECT_TRUE(IsTagged("a12 OK CAPABILITY completed", "a12", &status));
  EXPECT_EQ(status, "OK");
  EXPECT_TRUE(IsTagged("a12 BAD", "a12", &status));
  EXPECT_EQ(status, "BAD");
  EXPECT_FALSE(IsTagged("a123 OK done", "a12", &status));
  EXPECT_FALSE(IsTagged("* CAPABILITY IMAP4rev1", "a12", &status));
  EXPECT_FALSE(IsTagged("a12", "a12", &status));
}

TEST(ProfileTest, EveryListedProfileExists) {
  Options options;
  for (const std::string& name : ProfileNames()) {
    EXPECT_NE(MakeProfile(name, options), nullptr) << name;
  }
  EXPECT_EQ(MakeProfile("nope", options), nullptr);
}

}  // namespace
}  // namespace roost::bench
