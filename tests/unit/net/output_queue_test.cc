#include "net/output_queue.h"

#include <array>
#include <string>

#include <gtest/gtest.h>

namespace roost::net {
namespace {

std::string Joined(std::span<const iovec> iov) {
  std::string out;
  for (const iovec& v : iov) out.append(static_cast<const char*>(v.iov_base), v.iov_len);
  return out;
}

TEST(OutputQueueTest, CoalescesSmallChunksAndAdvancesPartially) {
  OutputQueue q;
  EXPECT_TRUE(q.empty());
  q.Append("a1\r\n");
  q.Append("b2\r\n");
  q.Append("");
  EXPECT_EQ(q.bytes(), 8u);
  std::array<iovec, OutputQueue::kMaxIovecs> iov;
  size_t n = q.Gather(iov);
  EXPECT_EQ(n, 1u);  // coalesced
  EXPECT_EQ(Joined({iov.data(), n}), "a1\r\nb2\r\n");
  q.Advance(3);
  EXPECT_EQ(q.bytes(), 5u);
  n = q.Gather(iov);
  EXPECT_EQ(Joined({iov.data(), n}), "\nb2\r\n");
  q.Advance(5);
  EXPECT_TRUE(q.empty());
  EXPECT_EQ(q.bytes(), 0u);
}

TEST(OutputQueueTest, NeverTouchesBytesOfTheSendInFlight) {
  OutputQueue q;
  q.Append("short");
  std::array<iovec, OutputQueue::kMaxIovecs> iov;
  size_t n = q.Gather(iov);
  ASSERT_EQ(n, 1u);
  const void* base = iov[0].iov_base;
  // Many appends while in flight: no coalescing into the in-flight chunk,
  // and the vector's growth must not move the bytes being sent.
  for (int i = 0; i < 200; ++i) q.Append("x");
  EXPECT_EQ(std::string(static_cast<const char*>(base), 5), "short");
  q.Advance(5);
  n = q.Gather(iov);
  EXPECT_EQ(Joined({iov.data(), n}), std::string(200, 'x'));
  q.Advance(200);
  EXPECT_TRUE(q.empty());
}

TEST(OutputQueueTest, LargeChunksAreNotCopiedAndIovecsAreCapped) {
  OutputQueue q;
  for (int i = 0; i < 100; ++i) q.Append(std::string(5000, static_cast<char>('a' + i % 26)));
  std::array<iovec, OutputQueue::kMaxIovecs> iov;
  size_t n = q.Gather(iov);
  EXPECT_EQ(n, OutputQueue::kMaxIovecs);
  q.Advance(64 * 5000 - 1);
  EXPECT_EQ(q.bytes(), 36u * 5000 + 1);
  n = q.Gather(iov);
  EXPECT_EQ(n, 37u);
  EXPECT_EQ(iov[0].iov_len, 1u);
  q.Advance(q.bytes());
  EXPECT_TRUE(q.empty());
}

}  // namespace
}  // namespace roost::net
