#include "storage/maildir/maildirsize.h"

#include <gtest/gtest.h>

#include "unit/storage/maildir_fixture.h"

namespace roost::storage::maildir {
namespace {

TEST(Maildirsize, CourierTestArtefact) {
  // "20C" / "           0            0" / "          79            1"
  std::string data = testing::ReadFixture("maildirsize-courier-test");
  auto m = ParseMaildirsize(data);
  ASSERT_TRUE(m.has_value()) << m.error().ToString();
  EXPECT_EQ(m->spec, (QuotaSpec{std::nullopt, 20}));
  EXPECT_EQ(m->bytes, 79);
  EXPECT_EQ(m->count, 1);
  EXPECT_EQ(m->usage_lines, 2u);
  EXPECT_FALSE(m->truncated);
  EXPECT_EQ(m->spec_text + "\n" + FormatMaildirsizeLine(0, 0) + FormatMaildirsizeLine(79, 1), data);
}

TEST(Maildirsize, SumsNegativeLines) {
  std::string data = testing::ReadFixture("maildirsize");
  auto m = ParseMaildirsize(data);
  ASSERT_TRUE(m.has_value()) << m.error().ToString();
  EXPECT_EQ(m->spec, (QuotaSpec{10000000, 1000}));
  EXPECT_EQ(m->bytes, 1234567);
  EXPECT_EQ(m->count, 120);
  EXPECT_EQ(m->usage_lines, 3u);
  EXPECT_EQ(m->spec_text + "\n" + FormatMaildirsizeLine(1234567, 120) +
                FormatMaildirsizeLine(2048, 1) + FormatMaildirsizeLine(-2048, -1),
            data);
}

TEST(Maildirsize, LineFormatIs26Bytes) {
  std::string line = FormatMaildirsizeLine(79, 1);
  EXPECT_EQ(line, "          79            1\n");
  EXPECT_EQ(line.size(), 26u);
  EXPECT_EQ(FormatMaildirsizeLine(-5, -1), "          -5           -1\n");
  EXPECT_EQ(FormatMaildirsize("5000000S,1000C", 100, 2),
            "5000000S,1000C\n         100            2\n");
}

TEST(Maildirsize, QuotaSpec) {
  EXPECT_EQ(*ParseQuotaSpec("5000000S,1000C"), (QuotaSpec{5000000, 1000}));
  EXPECT_EQ(*ParseQuotaSpec("1000C,5000000S"), (QuotaSpec{5000000, 1000}));
  EXPECT_EQ(*ParseQuotaSpec(""), QuotaSpec{});
  EXPECT_EQ(FormatQuotaSpec({5000000, 1000}), "5000000S,1000C");
  EXPECT_EQ(FormatQuotaSpec({std::nullopt, 20}), "20C");
  EXPECT_EQ(FormatQuotaSpec({}), "");
  EXPECT_EQ(FormatQuotaSpec({0, 5}), "5C");
  for (const char* bad : {"S", "5X", "5S,", "5S,6S", "-5S", "5 S", ",5S"}) {
    EXPECT_FALSE(ParseQuotaSpec(bad).has_value()) << bad;
  }
}

TEST(Maildirsize, LenientSpecReadsLikeCourier) {
  EXPECT_EQ(ParseQuotaSpecLenient("5000000S,1000C"), (QuotaSpec{5000000, 1000}));
  EXPECT_EQ(ParseQuotaSpecLenient(" 5000000S , 1000C \r"), (QuotaSpec{5000000, 1000}));
  EXPECT_EQ(ParseQuotaSpecLenient("5X,7C"), (QuotaSpec{std::nullopt, 7}));
  EXPECT_EQ(ParseQuotaSpecLenient("1S,2S"), (QuotaSpec{2, std::nullopt}));
  EXPECT_EQ(ParseQuotaSpecLenient("0S,3C"), (QuotaSpec{std::nullopt, 3}));
  EXPECT_EQ(ParseQuotaSpecLenient("garbage"), QuotaSpec{});
  EXPECT_EQ(ParseQuotaSpecLenient("99999999999999999999999S"), QuotaSpec{});
  auto m = ParseMaildirsize("junk 20C\n1 1\n");
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->spec, (QuotaSpec{std::nullopt, 20}));
  EXPECT_EQ(m->spec_text, "junk 20C");
}

TEST(Maildirsize, Malformed) {
  EXPECT_FALSE(ParseMaildirsize("").has_value());
  auto r = ParseMaildirsize("20C\n1 1\n1 x\n");
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().ToString().find("maildirsize line 3"), std::string::npos);
  EXPECT_FALSE(ParseMaildirsize("20C\n1 2 3\n").has_value());
  EXPECT_FALSE(ParseMaildirsize("20C\n1\n").has_value());
  EXPECT_FALSE(ParseMaildirsize("20C\n9223372036854775807 1\n1 1\n").has_value());
}

TEST(Maildirsize, ReadsAtMost5120Bytes) {
  std::string data = "1000S\n";
  while (data.size() < 6000) data += FormatMaildirsizeLine(1, 1);
  auto m = ParseMaildirsize(data);
  ASSERT_TRUE(m.has_value()) << m.error().ToString();
  EXPECT_TRUE(m->truncated);
  EXPECT_EQ(m->usage_lines, (5120 - 6) / 26);  // only whole lines in the buffer
  RecalcInputs in{.file_size = data.size(), .bytes = m->bytes, .count = m->count,
                  .usage_lines = m->usage_lines};
  EXPECT_TRUE(NeedsRecalc(in));
  EXPECT_EQ(m->spec, (QuotaSpec{1000, std::nullopt}));
  // A file of exactly 5120 bytes fills the buffer too; the quota is still
  // read from a line 1 that does not fit.
  auto huge = ParseMaildirsize("77C" + std::string(5117, ' '));
  ASSERT_TRUE(huge.has_value());
  EXPECT_TRUE(huge->truncated);
  EXPECT_EQ(huge->spec, (QuotaSpec{std::nullopt, 77}));
}

TEST(Maildirsize, NeedsRecalcRules) {
  RecalcInputs ok{.file_size = 60, .bytes = 10, .count = 1, .usage_lines = 1,
                  .mtime_age_seconds = 0};
  EXPECT_FALSE(NeedsRecalc(ok));
  RecalcInputs in = ok;
  in.file_missing = true;
  EXPECT_TRUE(NeedsRecalc(in));
  in = ok;
  in.parse_failed = true;
  EXPECT_TRUE(NeedsRecalc(in));
  in = ok;
  in.file_size = 5120;
  EXPECT_TRUE(NeedsRecalc(in));
  in = ok;
  in.bytes = -1;
  EXPECT_TRUE(NeedsRecalc(in));
  in = ok;
  in.count = -1;
  EXPECT_TRUE(NeedsRecalc(in));
  // Over quota with a fresh single-line file: trusted.
  in = ok;
  in.would_exceed = true;
  in.mtime_age_seconds = 899;
  EXPECT_FALSE(NeedsRecalc(in));
  in.mtime_age_seconds = 900;
  EXPECT_TRUE(NeedsRecalc(in));
  in.mtime_age_seconds = 0;
  in.usage_lines = 2;
  EXPECT_TRUE(NeedsRecalc(in));
  in.usage_lines = 0;  // header only: nothing to trust
  EXPECT_TRUE(NeedsRecalc(in));
  // Under quota, many lines: no recalc needed.
  in.would_exceed = false;
  EXPECT_FALSE(NeedsRecalc(in));
}

TEST(Maildirsize, CheckQuota) {
  QuotaSpec spec{1000, 10};
  EXPECT_TRUE(CheckQuota(spec, 900, 5, 100, 1).ok());
  Status over = CheckQuota(spec, 900, 5, 101, 1);
  EXPECT_FALSE(over.ok());
  EXPECT_EQ(over.mail_error(), MailError::kNoQuota);
  EXPECT_FALSE(CheckQuota(spec, 0, 10, 1, 1).ok());
  // Already over the byte limit: even a message-count-only change fails.
  EXPECT_FALSE(CheckQuota(spec, 2000, 0, 0, 1).ok());
  EXPECT_TRUE(CheckQuota(spec, 5000, 50, -100, -1).ok());  // removals always pass
  EXPECT_TRUE(CheckQuota({}, 1LL << 60, 1LL << 40, 1LL << 60, 1).ok());
  EXPECT_TRUE(CheckQuota({0, 0}, 5, 5, 5, 5).ok());
  EXPECT_FALSE(CheckQuota(spec, INT64_MAX, 0, INT64_MAX, 0).ok());  // no overflow
}

TEST(Maildirsize, EveryPrefixParsesOrFailsCleanly) {
  std::string data = testing::ReadFixture("maildirsize");
  for (size_t n = 0; n <= data.size(); ++n) {
    auto r = ParseMaildirsize(std::string_view(data).substr(0, n));
    if (r.has_value()) {
      EXPECT_LE(r->usage_lines, 3u);
    }
  }
}

}  // namespace
}  // namespace roost::storage::maildir
