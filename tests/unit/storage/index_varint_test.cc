#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "storage/index/varint.h"

namespace roost::storage::index {
namespace {

TEST(IndexVarint, RoundTripsBoundaries) {
  std::vector<uint64_t> values = {0,
                                  1,
                                  127,
                                  128,
                                  16383,
                                  16384,
                                  UINT32_MAX,
                                  uint64_t{1} << 35,
                                  (uint64_t{1} << 63) - 1,
                                  uint64_t{1} << 63,
                                  UINT64_MAX};
  std::string buf;
  for (uint64_t v : values) {
    size_t before = buf.size();
    PutVarint64(&buf, v);
    EXPECT_EQ(buf.size() - before, VarintLength(v)) << v;
  }
  std::string_view in = buf;
  for (uint64_t v : values) {
    uint64_t got = 0;
    ASSERT_TRUE(GetVarint64(&in, &got).ok());
    EXPECT_EQ(got, v);
  }
  EXPECT_TRUE(in.empty());
  EXPECT_EQ(VarintLength(127), 1u);
  EXPECT_EQ(VarintLength(128), 2u);
  EXPECT_EQ(VarintLength(UINT64_MAX), 10u);
}

TEST(IndexVarint, TruncationIsCorruptionAndDoesNotAdvance) {
  std::string buf;
  PutVarint64(&buf, uint64_t{1} << 40);
  for (size_t len = 0; len < buf.size(); ++len) {
    std::string_view in(buf.data(), len);
    uint64_t v = 7;
    Status s = GetVarint64(&in, &v);
    EXPECT_EQ(s.code(), Status::Code::kCorruption) << len;
    EXPECT_EQ(in.size(), len);
    EXPECT_EQ(v, 7u);
  }
}

TEST(IndexVarint, RejectsOverlongAndOverflowingEncodings) {
  std::string eleven(10, '\x80');
  eleven.push_back('\x01');
  std::string_view in = eleven;
  uint64_t v = 0;
  EXPECT_EQ(GetVarint64(&in, &v).code(), Status::Code::kCorruption);

  std::string tenth_too_big(9, '\xff');
  tenth_too_big.push_back('\x02');  // would be bit 64
  in = tenth_too_big;
  EXPECT_EQ(GetVarint64(&in, &v).code(), Status::Code::kCorruption);

  std::string big;
  PutVarint64(&big, uint64_t{UINT32_MAX} + 1);
  in = big;
  uint32_t v32 = 0;
  EXPECT_EQ(GetVarint32(&in, &v32).code(), Status::Code::kCorruption);

  std::string ok;
  PutVarint32(&ok, UINT32_MAX);
  in = ok;
  ASSERT_TRUE(GetVarint32(&in, &v32).ok());
  EXPECT_EQ(v32, UINT32_MAX);
}

TEST(IndexVarint, ZigZagMapsSmallMagnitudesToSmallCodes) {
  EXPECT_EQ(ZigZagEncode(0), 0u);
  EXPECT_EQ(ZigZagEncode(-1), 1u);
  EXPECT_EQ(ZigZagEncode(1), 2u);
  EXPECT_EQ(ZigZagEncode(-2), 3u);
  for (int64_t v : {int64_t{0}, int64_t{-1}, int64_t{30}, int64_t{-86400},
                    std::numeric_limits<int64_t>::min(), std::numeric_limits<int64_t>::max()}) {
    EXPECT_EQ(ZigZagDecode(ZigZagEncode(v)), v);
  }
}

}  // namespace
}  // namespace roost::storage::index
