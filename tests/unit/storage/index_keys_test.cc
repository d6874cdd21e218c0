#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <string>

#include "storage/index/keys.h"

namespace roost::storage::index {
namespace {

TEST(IndexKeys, RoundTripAllKinds) {
  auto mk = ParseMailboxKey(MailboxKey(0x0102030405060708, UINT64_MAX));
  ASSERT_TRUE(mk.has_value());
  EXPECT_EQ(*mk, (MailboxKeyParts{0x0102030405060708, UINT64_MAX}));

  auto ck = ParseChunkKey(ChunkKey(42, 4097));
  ASSERT_TRUE(ck.has_value());
  EXPECT_EQ(*ck, (UidKeyParts{42, 4097}));

  EXPECT_EQ(FileKey(42, 4097), ChunkKey(42, 4097));
  EXPECT_EQ(*ParseFileKey(FileKey(3, 4)), (UidKeyParts{3, 4}));

  auto cache = ParseCacheKey(CacheKey(7, UINT32_MAX));
  ASSERT_TRUE(cache.has_value());
  EXPECT_EQ(*cache, (UidKeyParts{7, UINT32_MAX}));

  auto cl = ParseChangelogKey(ChangelogKey(9, (uint64_t{1} << 63) - 1));
  ASSERT_TRUE(cl.has_value());
  EXPECT_EQ(*cl, (ChangelogKeyParts{9, (uint64_t{1} << 63) - 1}));
}

TEST(IndexKeys, LayoutIsBigEndianWithTags) {
  EXPECT_EQ(ChunkKey(1, 0x0a0b0c0d), std::string("m\0\0\0\0\0\0\0\x01"
                                                 "c\x0a\x0b\x0c\x0d",
                                                 14));
  EXPECT_EQ(MailboxKey(2, 3).size(), 18u);
  EXPECT_EQ(ChangelogKey(2, 3).size(), 18u);
  EXPECT_EQ(CacheKey(2, 3).size(), 14u);
  EXPECT_EQ(MailboxKey(5, 6).substr(0, UserPrefix(5).size()), UserPrefix(5));
  EXPECT_EQ(ChunkKey(5, 6).substr(0, 9), MailboxPrefix(5));
  EXPECT_EQ(ChangelogKey(5, 6).substr(0, 9), MailboxPrefix(5));
}

TEST(IndexKeys, BytewiseOrderIsNumericOrder) {
  std::mt19937_64 rng(7);
  for (int i = 0; i < 10000; ++i) {
    uint64_t ma = rng() >> (rng() % 64), mb = rng() >> (rng() % 64);
    uint32_t ua = static_cast<uint32_t>(rng() >> (32 + rng() % 32));
    uint32_t ub = static_cast<uint32_t>(rng() >> (32 + rng() % 32));
    bool numeric = ma != mb ? ma < mb : ua < ub;
    EXPECT_EQ(ChunkKey(ma, ua) < ChunkKey(mb, ub), numeric);
    EXPECT_EQ(CacheKey(ma, ua) < CacheKey(mb, ub), numeric);
    uint64_t sa = rng() >> (rng() % 64), sb = rng() >> (rng() % 64);
    EXPECT_EQ(ChangelogKey(ma, sa) < ChangelogKey(ma, sb), sa < sb);
    EXPECT_EQ(MailboxKey(ma, sa) < MailboxKey(mb, sb), ma != mb ? ma < mb : sa < sb);
  }
}

TEST(IndexKeys, MalformedKeysAreCorruption) {
  std::string chunk = ChunkKey(1, 2);
  EXPECT_EQ(ParseChunkKey(chunk.substr(0, 13)).error().code(), Status::Code::kCorruption);
  EXPECT_EQ(ParseChunkKey(chunk + "x").error().code(), Status::Code::kCorruption);
  EXPECT_EQ(ParseCacheKey(chunk).error().code(), Status::Code::kCorruption);  // 'c' is not 'u'
  EXPECT_EQ(ParseMailboxKey(chunk).error().code(), Status::Code::kCorruption);
  EXPECT_EQ(ParseChangelogKey(MailboxKey(1, 2)).error().code(), Status::Code::kCorruption);
  EXPECT_EQ(ParseChunkKey("").error().code(), Status::Code::kCorruption);
}

}  // namespace
}  // namespace roost::storage::index
