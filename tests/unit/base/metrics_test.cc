#include "base/metrics.h"

#include <gtest/gtest.h>

namespace roost {
namespace {

TEST(MetricsTest, CounterSeriesAreDistinctAndStable) {
  MetricsRegistry r;
  Counter& imap = r.GetCounter("roost_connections_total", "Connections", {{"protocol", "imap"}});
  Counter& pop = r.GetCounter("roost_connections_total", "Connections", {{"protocol", "pop3"}});
  imap.Add(3);
  pop.Add();
  EXPECT_EQ(&imap, &r.GetCounter("roost_connections_total", "x", {{"protocol", "imap"}}));
  std::string text = r.RenderPrometheus();
  EXPECT_NE(text.find("# TYPE roost_connections_total counter"), std::string::npos);
  EXPECT_NE(text.find("roost_connections_total{protocol=\"imap\"} 3\n"), std::string::npos);
  EXPECT_NE(text.find("roost_connections_total{protocol=\"pop3\"} 1\n"), std::string::npos);
}

TEST(MetricsTest, HistogramBucketsAreCumulative) {
  MetricsRegistry r;
  Histogram& h = r.GetHistogram("roost_command_seconds", "Latency", {{"command", "NOOP"}});
  h.Observe(0.00001);
  h.Observe(0.003);
  h.Observe(100);
  EXPECT_EQ(h.Count(), 3u);
  EXPECT_EQ(h.BucketCount(0), 1u);
  EXPECT_EQ(h.BucketCount(Histogram::kBounds.size() - 1), 2u);
  std::string text = r.RenderPrometheus();
  EXPECT_NE(text.find("roost_command_seconds_bucket{command=\"NOOP\",le=\"+Inf\"} 3\n"), std::string::npos);
  EXPECT_NE(text.find("roost_command_seconds_count{command=\"NOOP\"} 3\n"), std::string::npos);
}

TEST(MetricsTest, LabelValuesAreEscaped) {
  MetricsRegistry r;
  r.GetGauge("g", "h", {{"l", "a\"b\\c"}}).Set(-2);
  EXPECT_NE(r.RenderPrometheus().find("g{l=\"a\\\"b\\\\c\"} -2\n"), std::string::npos);
}

}  // namespace
}  // namespace roost
