#include <gtest/gtest.h>

#include <cstdint>
#include <iterator>
#include <limits>
#include <random>
#include <string>

#include "storage/index/chunk.h"

namespace roost::storage::index {
namespace {

ChunkColumns RandomChunk(std::mt19937_64& rng, size_t n) {
  ChunkColumns c;
  Uid uid = 1 + static_cast<Uid>(rng() % 1000);
  int64_t date = 1'600'000'000;
  for (size_t i = 0; i < n; ++i) {
    c.uids.push_back(uid);
    uid += 1 + static_cast<Uid>(rng() % 3 == 0 ? rng() % 500 : 0);
    c.flags.push_back(static_cast<uint8_t>(rng() % 32));
    c.keywords.push_back(rng() % 4 == 0 ? rng() : 0);
    c.modseqs.push_back(1 + rng() % 100000);
    c.sizes.push_back(static_cast<uint32_t>(rng()));
    date += static_cast<int64_t>(rng() % 200000) - 100000;
    c.internal_dates.push_back(date);
  }
  return c;
}

ChunkColumns Uniform(size_t n) {
  ChunkColumns c;
  for (size_t i = 0; i < n; ++i) {
    c.uids.push_back(static_cast<Uid>(100 + i));
    c.flags.push_back(kFlagSeen);
    c.keywords.push_back(0);
    c.modseqs.push_back(55);
    c.sizes.push_back(2048);
    c.internal_dates.push_back(1'700'000'000 + static_cast<int64_t>(i) * 30);
  }
  return c;
}

void ExpectRoundTrip(const ChunkColumns& c) {
  auto enc = EncodeChunk(c);
  ASSERT_TRUE(enc.has_value()) << enc.error().ToString();
  auto dec = DecodeChunk(*enc);
  ASSERT_TRUE(dec.has_value()) << dec.error().ToString();
  EXPECT_EQ(*dec, c);
  auto count = ChunkMessageCount(*enc);
  ASSERT_TRUE(count.has_value());
  EXPECT_EQ(*count, c.size());
}

TEST(IndexChunk, RoundTripsRandomChunks) {
  std::mt19937_64 rng(1);
  for (size_t n : {size_t{1}, size_t{2}, size_t{17}, size_t{1000}, kMaxChunkMessages}) {
    ExpectRoundTrip(RandomChunk(rng, n));
  }
}

TEST(IndexChunk, RoundTripsExtremeValues) {
  ChunkColumns c;
  c.uids = {1, 2, UINT32_MAX - 1, UINT32_MAX};
  c.flags = {0, 0xff, 0, 0xff};
  c.keywords = {UINT64_MAX, 0, UINT64_MAX, 1};
  c.modseqs = {(uint64_t{1} << 63) - 1, 1, 0, (uint64_t{1} << 63) - 1};
  c.sizes = {0, UINT32_MAX, 1, 0};
  c.internal_dates = {std::numeric_limits<int64_t>::max(), std::numeric_limits<int64_t>::min(), 0, -1};
  ExpectRoundTrip(c);
  ChunkColumns top;
  top.uids = {UINT32_MAX};
  top.flags = {0};
  top.keywords = {0};
  top.modseqs = {0};
  top.sizes = {0};
  top.internal_dates = {0};
  ExpectRoundTrip(top);
}

TEST(IndexChunk, UniformChunkIsTiny) {
  ChunkColumns c = Uniform(kMaxChunkMessages);
  ExpectRoundTrip(c);
  auto enc = EncodeChunk(c);
  ASSERT_TRUE(enc.has_value());
  // Only sizes (2 bytes) and dates (1 byte) cost per message here.
  EXPECT_LT(enc->size(), 3 * kMaxChunkMessages + 64);
}

TEST(IndexChunk, InspectReportsFraming) {
  auto enc = EncodeChunk(Uniform(10));
  ASSERT_TRUE(enc.has_value());
  auto layout = InspectChunk(*enc);
  ASSERT_TRUE(layout.has_value()) << layout.error().ToString();
  EXPECT_EQ(layout->messages, 10u);
  size_t total = layout->header_bytes;
  for (size_t b : layout->column_bytes) total += b;
  EXPECT_EQ(total, enc->size());
  EXPECT_EQ(layout->codecs[0], 1);  // consecutive UIDs: the range codec
  EXPECT_EQ(InspectChunk(enc->substr(0, enc->size() - 1)).error().code(), Status::Code::kCorruption);
}

// Builds a chunk, checks it round-trips, and returns its column codecs.
std::vector<int> Codecs(const ChunkColumns& c) {
  auto enc = EncodeChunk(c);
  EXPECT_TRUE(enc.has_value());
  if (!enc.has_value()) return {};
  auto dec = DecodeChunk(*enc);
  EXPECT_TRUE(dec.has_value()) << dec.error().ToString();
  if (dec.has_value()) {
    EXPECT_EQ(*dec, c);
  }
  auto layout = InspectChunk(*enc);
  EXPECT_TRUE(layout.has_value());
  if (!layout.has_value()) return {};
  return std::vector<int>(std::begin(layout->codecs), std::end(layout->codecs));
}

TEST(IndexChunk, EncoderPicksTheSmallestCodecAndEachRoundTrips) {
  ChunkColumns c = Uniform(1000);
  EXPECT_EQ(Codecs(c), (std::vector<int>{1, 3, 5, 6, 8, 9}));  // range, flag RLE, modseq RLE

  ChunkColumns gaps = c;
  for (size_t i = 500; i < gaps.size(); ++i) gaps.uids[i] += 7;  // one expunge gap
  EXPECT_EQ(Codecs(gaps)[0], 10);                                // uid runs

  ChunkColumns sparse = c;
  for (size_t i = 0; i < sparse.size(); ++i) sparse.uids[i] = static_cast<Uid>(1 + 2 * i);
  EXPECT_EQ(Codecs(sparse)[0], 2);  // uid deltas

  ChunkColumns alternating = c;
  for (size_t i = 0; i < alternating.size(); ++i) alternating.flags[i] = i % 2 ? kFlagSeen : kFlagFlagged;
  EXPECT_EQ(Codecs(alternating)[1], 11);  // bit planes

  std::mt19937_64 rng(9);
  ChunkColumns noisy = c;
  for (auto& f : noisy.flags) f = static_cast<uint8_t>(rng());
  for (auto& m : noisy.modseqs) m = 1 + rng() % 1000000;
  std::vector<int> codecs = Codecs(noisy);
  EXPECT_EQ(codecs[1], 4);  // raw flag bytes
  EXPECT_EQ(codecs[3], 7);  // per-message modseq deltas

  ChunkColumns odd = Uniform(13);  // bit planes with padding bits
  for (size_t i = 0; i < odd.size(); ++i) odd.flags[i] = i % 2 ? kFlagSeen : 0;
  EXPECT_EQ(Codecs(odd)[1], 11);
}

TEST(IndexChunk, PartialDecodeFillsOnlyUidsAndFlags) {
  std::mt19937_64 rng(2);
  ChunkColumns c = RandomChunk(rng, 300);
  auto enc = EncodeChunk(c);
  ASSERT_TRUE(enc.has_value());
  auto part = DecodeUidsAndFlags(*enc);
  ASSERT_TRUE(part.has_value()) << part.error().ToString();
  EXPECT_EQ(part->uids, c.uids);
  EXPECT_EQ(part->flags, c.flags);
  EXPECT_TRUE(part->keywords.empty());
  EXPECT_TRUE(part->modseqs.empty());
  EXPECT_TRUE(part->sizes.empty());
  EXPECT_TRUE(part->internal_dates.empty());
}

TEST(IndexChunk, EncoderRejectsInvalidColumns) {
  ChunkColumns c = Uniform(4);
  ChunkColumns bad = c;
  bad.sizes.pop_back();
  EXPECT_EQ(EncodeChunk(bad).error().code(), Status::Code::kInvalidArgument);
  bad = c;
  bad.uids[2] = bad.uids[1];
  EXPECT_EQ(EncodeChunk(bad).error().code(), Status::Code::kInvalidArgument);
  bad = c;
  bad.uids[0] = 0;
  EXPECT_EQ(EncodeChunk(bad).error().code(), Status::Code::kInvalidArgument);
  bad = c;
  bad.modseqs[1] = uint64_t{1} << 63;
  EXPECT_EQ(EncodeChunk(bad).error().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(EncodeChunk(ChunkColumns{}).error().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(EncodeChunk(Uniform(kMaxChunkMessages + 1)).error().code(), Status::Code::kInvalidArgument);
}

TEST(IndexChunk, EveryTruncationIsCorruption) {
  std::mt19937_64 rng(3);
  auto enc = EncodeChunk(RandomChunk(rng, 50));
  ASSERT_TRUE(enc.has_value());
  for (size_t len = 0; len < enc->size(); ++len) {
    auto dec = DecodeChunk(std::string_view(*enc).substr(0, len));
    ASSERT_FALSE(dec.has_value()) << len;
    EXPECT_EQ(dec.error().code(), Status::Code::kCorruption) << len;
    auto part = DecodeUidsAndFlags(std::string_view(*enc).substr(0, len));
    ASSERT_FALSE(part.has_value()) << len;
  }
  auto extra = DecodeChunk(*enc + std::string(1, '\0'));
  ASSERT_FALSE(extra.has_value());
  EXPECT_EQ(extra.error().code(), Status::Code::kCorruption);
}

TEST(IndexChunk, BadHeaderIsCorruption) {
  auto enc = EncodeChunk(Uniform(3));
  ASSERT_TRUE(enc.has_value());
  std::string v = *enc;
  v[0] = 2;  // unknown version
  EXPECT_EQ(DecodeChunk(v).error().code(), Status::Code::kCorruption);
  v = *enc;
  v[1] = 0;  // zero messages
  EXPECT_EQ(DecodeChunk(v).error().code(), Status::Code::kCorruption);
  v = *enc;
  v[1] = 4;  // count disagrees with the columns
  EXPECT_EQ(DecodeChunk(v).error().code(), Status::Code::kCorruption);
  EXPECT_EQ(ChunkMessageCount("").error().code(), Status::Code::kCorruption);
}

// Any byte flipped anywhere either decodes to columns that satisfy the
// invariants or is reported as Corruption; never a crash or an over-read
// (run under ASan to see the latter).
TEST(IndexChunk, SingleByteDamageIsDetectedOrHarmless) {
  std::mt19937_64 rng(4);
  for (int round = 0; round < 4; ++round) {
    ChunkColumns c = round % 2 ? RandomChunk(rng, 64) : Uniform(64);
    auto enc = EncodeChunk(c);
    ASSERT_TRUE(enc.has_value());
    for (size_t pos = 0; pos < enc->size(); ++pos) {
      for (int bit = 0; bit < 8; ++bit) {
        std::string v = *enc;
        v[pos] = static_cast<char>(v[pos] ^ (1 << bit));
        auto dec = DecodeChunk(v);
        if (dec.has_value()) {
          EXPECT_TRUE(ValidateChunkColumns(*dec).ok()) << pos << ":" << bit;
        } else {
          EXPECT_EQ(dec.error().code(), Status::Code::kCorruption) << pos << ":" << bit;
        }
      }
    }
  }
}

TEST(IndexChunk, HostileRunLengthsAreRejected) {
  // version 1, 2 messages, uid range from 1, flags RLE claiming 1000 copies.
  std::string v = {1, 2, 1, 1, 1, 3, 2};
  v += std::string("\xe8\x07\x01", 3);
  EXPECT_EQ(DecodeChunk(v).error().code(), Status::Code::kCorruption);
  // Column length larger than the value.
  std::string w = {1, 2, 1, 100, 1};
  EXPECT_EQ(DecodeChunk(w).error().code(), Status::Code::kCorruption);
  // Unknown codec tag for uids.
  std::string u = {1, 1, 99, 1, 1};
  EXPECT_EQ(DecodeChunk(u).error().code(), Status::Code::kCorruption);
}

TEST(IndexChunk, RandomGarbageNeverCrashes) {
  std::mt19937_64 rng(5);
  for (int i = 0; i < 20000; ++i) {
    std::string v(1 + rng() % 48, '\0');
    for (char& ch : v) ch = static_cast<char>(rng() % 4 == 0 ? rng() % 10 : rng());
    v[0] = static_cast<char>(kChunkVersion);
    auto dec = DecodeChunk(v);
    if (dec.has_value()) {
      EXPECT_TRUE(ValidateChunkColumns(*dec).ok());
    } else {
      EXPECT_EQ(dec.error().code(), Status::Code::kCorruption);
    }
  }
}

}  // namespace
}  // namespace roost::storage::index
