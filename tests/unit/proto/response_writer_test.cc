#include "proto/common/response_writer.h"

#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "fake_sink.h"

namespace roost::proto {
namespace {

std::string AString(std::string_view v) {
  std::string out;
  AppendAString(out, v);
  return out;
}

std::string String(std::string_view v) {
  std::string out;
  AppendString(out, v);
  return out;
}

TEST(ResponseWriterTest, RepliesAreBufferedUntilFlush) {
  auto sink = std::make_shared<testing::FakeSink>();
  ResponseWriter writer(sink);
  writer.Untagged("CAPABILITY IMAP4rev1");
  writer.Tagged("a1", Cond::kOk, "", "done");
  writer.Tagged("a2", Cond::kNo, "TOOBIG", "Literal too large");
  writer.Continuation("OK");
  EXPECT_EQ(sink->Count("write"), 0);
  writer.Flush();
  EXPECT_EQ(sink->Count("write"), 1);
  EXPECT_EQ(sink->TakeOutput(),
            "* CAPABILITY IMAP4rev1\r\na1 OK done\r\na2 NO [TOOBIG] Literal too large\r\n+ OK\r\n");
  writer.Flush();  // nothing buffered: no empty write
  EXPECT_EQ(sink->Count("write"), 1);
}

TEST(ResponseWriterTest, LargeRepliesAreWrittenInChunks) {
  auto sink = std::make_shared<testing::FakeSink>();
  ResponseWriter writer(sink, 100);
  for (int i = 0; i < 10; ++i) writer.Untagged(std::string(40, 'x'));
  // 44 bytes per line, a write each time the buffer reaches 100 bytes.
  EXPECT_EQ(sink->Count("write"), 3);
  writer.Flush();
  EXPECT_EQ(sink->TakeOutput().size(), 440u);
}

TEST(ResponseWriterTest, QuotedWhenSafe) {
  EXPECT_EQ(String("hello world"), "\"hello world\"");
  EXPECT_EQ(String(""), "\"\"");
  EXPECT_EQ(String("a\"b\\c"), "\"a\\\"b\\\\c\"");
}

TEST(ResponseWriterTest, LiteralWhenUnsafe) {
  EXPECT_EQ(String("a\r\nb"), "{4}\r\na\r\nb");
  EXPECT_EQ(String("caf\xc3\xa9"), "{5}\r\ncaf\xc3\xa9");
  EXPECT_EQ(String(std::string(1025, 'l')), "{1025}\r\n" + std::string(1025, 'l'));
  EXPECT_EQ(String(std::string("a\0b", 3)), std::string("{3}\r\na\0b", 8));
}

TEST(ResponseWriterTest, AStringPrefersAtoms) {
  EXPECT_EQ(AString("INBOX"), "INBOX");
  EXPECT_EQ(AString("a]b"), "a]b");
  EXPECT_EQ(AString("two words"), "\"two words\"");
  EXPECT_EQ(AString(""), "\"\"");
  EXPECT_EQ(AString("NIL"), "\"NIL\"");
  EXPECT_EQ(AString("nil"), "\"nil\"");
  EXPECT_EQ(AString("a*"), "\"a*\"");
  EXPECT_EQ(AString("a\nb"), "{3}\r\na\nb");
}

TEST(ResponseWriterTest, NString) {
  std::string out;
  AppendNString(out, std::nullopt);
  out += ' ';
  AppendNString(out, std::string_view("x"));
  EXPECT_EQ(out, "NIL \"x\"");
}

}  // namespace
}  // namespace roost::proto
