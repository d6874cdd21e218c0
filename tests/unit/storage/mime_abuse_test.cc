// Hostile messages: every cap in MimeLimits holds, and the work done (bytes
// examined plus sub-parser steps, never wall time) stays linear.
#include <gtest/gtest.h>

#include <string>

#include "storage/mime/address.h"
#include "storage/mime/params.h"
#include "storage/mime/parser.h"
#include "storage/mime/rfc2047.h"

namespace roost::storage::mime {
namespace {

MessageStructure Parse(std::string_view msg, const MimeLimits& limits = MimeLimits()) {
  auto r = ParseMessage(msg, limits);
  EXPECT_TRUE(r.has_value());
  return std::move(r).value();
}

std::string ManyAddresses(size_t n) {
  std::string s;
  for (size_t i = 0; i < n; ++i) {
    if (i) s += ", ";
    s += "user" + std::to_string(i) + "@example.com";
  }
  return s;
}

size_t MaxDepth(const Part& p) {
  size_t d = 0;
  for (const auto& c : p.children) d = std::max(d, MaxDepth(*c) + 1);
  if (p.message) d = std::max(d, MaxDepth(*p.message) + 1);
  return d;
}

TEST(MimeAbuseTest, AddressListOf100000IsCappedAndLinear) {
  std::string list = ManyAddresses(100000);
  uint64_t steps = 0;
  AddressList l = ParseAddressList(list, 10000, &steps);
  EXPECT_EQ(l.addresses.size(), 10000u);
  EXPECT_TRUE(l.truncated);
  EXPECT_EQ(l.addresses[9999].mailbox, "user9999");
  EXPECT_LE(steps, list.size());
}

TEST(MimeAbuseTest, HeaderWith100000AddressesInMessage) {
  std::string msg = "To: " + ManyAddresses(100000) + "\r\nSubject: s\r\n\r\nbody\r\n";
  // Default limits: the header block itself is capped first.
  MessageStructure m = Parse(msg);
  EXPECT_TRUE(m.root->header_truncated);
  EXPECT_EQ(m.root->envelope->to.addresses.size(), 10000u);
  EXPECT_TRUE(m.root->envelope->to.truncated);
  EXPECT_FALSE(m.root->envelope->subject.has_value());  // past the header cap
  EXPECT_EQ(msg.substr(m.root->body.offset, m.root->body.size), "body\r\n");
  EXPECT_LE(m.work, 2 * msg.size());
  // With a header cap large enough to hold it all, the address cap holds.
  MimeLimits big;
  big.max_header_bytes = 8 * 1024 * 1024;
  MessageStructure n = Parse(msg, big);
  EXPECT_FALSE(n.root->header_truncated);
  EXPECT_EQ(n.root->envelope->to.addresses.size(), 10000u);
  EXPECT_TRUE(n.root->envelope->to.truncated);
  EXPECT_EQ(n.root->envelope->subject, "s");
  EXPECT_LE(n.work, 5 * msg.size());
}

TEST(MimeAbuseTest, TenThousandNestedMultipartsAreDepthCapped) {
  std::string msg;
  const int kLevels = 10000;
  for (int i = 0; i < kLevels; ++i) {
    msg += "Content-Type: multipart/mixed; boundary=b" + std::to_string(i) + "\r\n\r\n";
    msg += "--b" + std::to_string(i) + "\r\n";
  }
  msg += "\r\ninnermost\r\n";
  for (int i = kLevels - 1; i >= 0; --i) msg += "--b" + std::to_string(i) + "--\r\n";
  MessageStructure m = Parse(msg);
  EXPECT_TRUE(m.depth_capped);
  EXPECT_EQ(MaxDepth(*m.root), 64u);
  EXPECT_EQ(m.part_count, 65u);
  // The deepest part is an opaque leaf holding the rest of the nesting.
  const Part* p = m.root.get();
  while (!p->children.empty()) p = p->children[0].get();
  EXPECT_TRUE(p->opaque);
  EXPECT_EQ(p->declared_type, "multipart/mixed");
  EXPECT_EQ(m.size, msg.size());
  EXPECT_LE(m.work, 4 * msg.size());
}

TEST(MimeAbuseTest, TenThousandNestedMessagesAreDepthCapped) {
  std::string msg;
  for (int i = 0; i < 10000; ++i) msg += "Content-Type: message/rfc822\r\n\r\n";
  msg += "Subject: deep\r\n\r\nbody\r\n";
  MessageStructure m = Parse(msg);
  EXPECT_TRUE(m.depth_capped);
  EXPECT_EQ(MaxDepth(*m.root), 64u);
  EXPECT_LE(m.work, 4 * msg.size());
}

TEST(MimeAbuseTest, PartCountIsCapped) {
  std::string msg = "Content-Type: multipart/mixed; boundary=s\r\n\r\n";
  for (int i = 0; i < 1000; ++i) msg += "--s\r\nContent-Type: text/plain\r\n\r\npart\r\n";
  msg += "--s--\r\n";
  MimeLimits limits;
  limits.max_parts = 100;
  MessageStructure m = Parse(msg, limits);
  EXPECT_TRUE(m.parts_capped);
  EXPECT_EQ(m.part_count, 100u);
  EXPECT_EQ(m.root->children.size(), 99u);
  // The last kept part ends at the next boundary as usual.
  const Part& last = *m.root->children.back();
  EXPECT_EQ(msg.substr(last.body.offset, last.body.size), "part");
  EXPECT_LE(m.work, 4 * msg.size());
}

std::string ManyParams(size_t n) {
  std::string s = "text/plain";
  for (size_t i = 0; i < n; ++i) s += "; p" + std::to_string(i) + "=v" + std::to_string(i);
  return s;
}

TEST(MimeAbuseTest, ContentTypeWith100000ParamsIsCapped) {
  std::string value = ManyParams(100000);
  uint64_t steps = 0;
  ContentType ct = ParseContentType(value, MimeLimits(), &steps);
  EXPECT_EQ(ct.type, "text");
  EXPECT_EQ(ct.params.params.size(), 64u);
  EXPECT_TRUE(ct.params.truncated);
  EXPECT_EQ(ct.params.params[63].name, "p63");
  EXPECT_LE(steps, value.size());

  std::string msg = "Content-Type: " + value + "\r\n\r\nbody\r\n";
  MessageStructure m = Parse(msg);
  EXPECT_EQ(m.root->params.params.size(), 64u);
  EXPECT_TRUE(m.root->params.truncated);
  EXPECT_LE(m.work, 2 * msg.size());
}

TEST(MimeAbuseTest, Rfc2231SectionFloodIsCapped) {
  std::string value = "attachment";
  for (int i = 0; i < 100000; ++i) value += "; filename*" + std::to_string(i % 2000) + "=x";
  uint64_t steps = 0;
  ContentDisposition cd = ParseContentDisposition(value, MimeLimits(), &steps);
  ASSERT_EQ(cd.params.params.size(), 1u);
  EXPECT_EQ(cd.params.params[0].value, std::string(256, 'x'));
  EXPECT_TRUE(cd.params.truncated);
  EXPECT_LE(steps, value.size());
}

TEST(MimeAbuseTest, OneMegabyteHeaderLine) {
  std::string msg = "Subject: " + std::string(1 << 20, 'x') + "\r\nFrom: a@b\r\n\r\nbody\r\n";
  MessageStructure m = Parse(msg);
  EXPECT_TRUE(m.root->header_truncated);
  ASSERT_TRUE(m.root->envelope->subject.has_value());
  EXPECT_LE(m.root->envelope->subject->size(), MimeLimits().max_header_bytes);
  EXPECT_EQ(m.root->header.size, msg.size() - 6);
  EXPECT_EQ(msg.substr(m.root->body.offset, m.root->body.size), "body\r\n");
  EXPECT_LE(m.work, 2 * msg.size());
  // Byte at a time: same answer.
  MimeParser p;
  for (char c : msg) p.Feed(std::string_view(&c, 1));
  auto r = p.Finish();
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(DebugString(*r), DebugString(m));
}

TEST(MimeAbuseTest, OneMegabyteBoundaryLikeLine) {
  // "--b" followed by 1 MB of spaces is still a boundary (transport
  // padding); followed by 1 MB of text it is not. Neither is kept whole.
  std::string msg = "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b" + std::string(1 << 20, ' ') +
                    "\r\n\r\none\r\n--b" + std::string(1 << 20, 'y') + "\r\n--b--\r\n";
  MessageStructure m = Parse(msg);
  ASSERT_EQ(m.root->children.size(), 1u);
  const Part& c = *m.root->children[0];
  EXPECT_EQ(c.body.size, 5u + 3 + (1 << 20));
  EXPECT_LE(m.work, 2 * msg.size());
}

TEST(MimeAbuseTest, EncodedWordFloodDecodes) {
  std::string s;
  for (int i = 0; i < 100000; ++i) s += "=?x?q?";
  std::string out = DecodeRfc2047(s);
  EXPECT_EQ(out, s);  // nothing valid: kept as text
  std::string words;
  for (int i = 0; i < 20000; ++i) words += "=?utf-8?q?a?= ";
  EXPECT_EQ(DecodeRfc2047(words), std::string(20000, 'a') + " ");
}

}  // namespace
}  // namespace roost::storage::mime
