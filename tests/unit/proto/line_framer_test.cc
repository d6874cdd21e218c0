#include "proto/common/line_framer.h"

#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace roost::proto {
namespace {

using Kind = net::FrameError::Kind;

FrameLimits SmallLimits() {
  return FrameLimits{.max_line = 64, .max_literal = 100, .max_frame = 300, .max_literals = 3};
}

std::string KindName(Kind kind) {
  switch (kind) {
    case Kind::kLineTooLong: return "line_too_long";
    case Kind::kLiteralTooLarge: return "literal_too_large";
    case Kind::kTooManyLiterals: return "too_many_literals";
    case Kind::kFrameTooLarge: return "frame_too_large";
    case Kind::kBadLiteral: return "bad_literal";
  }
  return "?";
}

// Feeds `input` in chunks of the sizes `next_chunk` returns and records
// every decision as a string: "F:<bytes>", "C:<continuation>" or
// "E:<kind>:<fatal|ok>:<tag>".
template <typename ChunkFn>
std::vector<std::string> Feed(net::Framer& framer, std::string_view input, ChunkFn next_chunk) {
  std::vector<std::string> events;
  while (!input.empty()) {
    std::string_view chunk = input.substr(0, std::min(input.size(), next_chunk()));
    input.remove_prefix(chunk.size());
    while (true) {
      net::FramerStep step = framer.Step(chunk);
      EXPECT_LE(step.consumed, chunk.size());
      chunk.remove_prefix(step.consumed);
      if (step.kind == net::FramerStep::Kind::kNeedMore) {
        EXPECT_TRUE(chunk.empty()) << "kNeedMore must consume everything";
        break;
      }
      if (step.kind == net::FramerStep::Kind::kContinuation) {
        events.push_back("C:" + step.continuation);
      } else if (step.frame.error) {
        const auto& e = *step.frame.error;
        events.push_back("E:" + KindName(e.kind) + (e.fatal ? ":fatal:" : ":ok:") + e.tag);
      } else {
        events.push_back("F:" + step.frame.bytes);
      }
    }
  }
  return events;
}

std::vector<std::string> RunWhole(std::string_view input, FrameLimits limits = SmallLimits()) {
  ImapFramer framer(limits);
  return Feed(framer, input, [&] { return input.size() + 1; });
}

std::vector<std::string> RunBytewise(std::string_view input, FrameLimits limits = SmallLimits()) {
  ImapFramer framer(limits);
  return Feed(framer, input, [] { return size_t{1}; });
}

TEST(ImapFramerTest, SimpleLinesCrlfAndBareLf) {
  auto events = RunWhole("a1 NOOP\r\na2 CAPABILITY\nA3 LOGOUT\r\n");
  EXPECT_EQ(events, (std::vector<std::string>{"F:a1 NOOP", "F:a2 CAPABILITY", "F:A3 LOGOUT"}));
}

TEST(ImapFramerTest, PartialLineIsHeldUntilLf) {
  ImapFramer framer(SmallLimits());
  net::FramerStep step = framer.Step("a1 NO");
  EXPECT_EQ(step.kind, net::FramerStep::Kind::kNeedMore);
  EXPECT_EQ(step.consumed, 5u);
  EXPECT_FALSE(framer.Idle());
  step = framer.Step("OP\r\n");
  ASSERT_EQ(step.kind, net::FramerStep::Kind::kFrame);
  EXPECT_EQ(step.frame.bytes, "a1 NOOP");
  EXPECT_TRUE(framer.Idle());
}

TEST(ImapFramerTest, SynchronisingLiteralEmitsContinuationOnce) {
  auto events = RunWhole("a1 LOGIN {4}\r\nuser {4}\r\npass\r\n");
  EXPECT_EQ(events, (std::vector<std::string>{"C:+ OK\r\n", "C:+ OK\r\n", "F:a1 LOGIN {4}\r\nuser {4}\r\npass"}));
}

TEST(ImapFramerTest, ContinuationComesBeforeLiteralBytesAreConsumed) {
  ImapFramer framer(SmallLimits());
  std::string_view input = "a1 X {3}\r\nabc\r\n";
  net::FramerStep step = framer.Step(input);
  ASSERT_EQ(step.kind, net::FramerStep::Kind::kContinuation);
  EXPECT_EQ(step.consumed, 10u);  // through the LF of the marker line only
  step = framer.Step(input.substr(10));
  ASSERT_EQ(step.kind, net::FramerStep::Kind::kFrame);
  EXPECT_EQ(step.frame.bytes, "a1 X {3}\r\nabc");
}

TEST(ImapFramerTest, NonSynchronisingLiteralHasNoContinuation) {
  auto events = RunWhole("a1 LOGIN {4+}\r\nuser {4+}\npass\r\n");
  EXPECT_EQ(events, (std::vector<std::string>{"F:a1 LOGIN {4+}\r\nuser {4+}\npass"}));
}

TEST(ImapFramerTest, BinaryLiterals) {
  std::string input = std::string("a1 APPEND box ~{3}\r\n") + std::string("a\0b", 3) + " ~{2+}\r\nxy\r\n";
  auto events = RunWhole(input);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0], "C:+ OK\r\n");
  EXPECT_EQ(events[1], "F:" + input.substr(0, input.size() - 2));
}

TEST(ImapFramerTest, MinusMarkerIsPlainText) {
  EXPECT_EQ(RunWhole("a1 X {5-}\r\n"), (std::vector<std::string>{"F:a1 X {5-}"}));
  EXPECT_EQ(RunWhole("a1 X {}\r\n"), (std::vector<std::string>{"F:a1 X {}"}));
  EXPECT_EQ(RunWhole("a1 X {5} y\r\n"), (std::vector<std::string>{"F:a1 X {5} y"}));
}

TEST(ImapFramerTest, LiteralContentMayHoldLineEndingsAndMarkers) {
  auto events = RunWhole("a1 X {8+}\r\n{3}\r\nab\n\r\n");
  EXPECT_EQ(events, (std::vector<std::string>{"F:a1 X {8+}\r\n{3}\r\nab\n"}));
}

TEST(ImapFramerTest, ZeroLengthLiteral) {
  EXPECT_EQ(RunWhole("a1 X {0}\r\n\r\n"), (std::vector<std::string>{"C:+ OK\r\n", "F:a1 X {0}\r\n"}));
  EXPECT_EQ(RunWhole("a1 X {0+}\r\n y\r\n"), (std::vector<std::string>{"F:a1 X {0+}\r\n y"}));
}

TEST(ImapFramerTest, EmptyLineIsAnEmptyFrame) {
  EXPECT_EQ(RunWhole("\r\n\na1 NOOP\r\n"), (std::vector<std::string>{"F:", "F:", "F:a1 NOOP"}));
}

TEST(ImapFramerTest, LineTooLongIsSkippedAndReportedWithTag) {
  std::string input = "t1 X " + std::string(100, 'a') + "\r\nt2 NOOP\r\n";
  auto expected = std::vector<std::string>{"E:line_too_long:ok:t1", "F:t2 NOOP"};
  EXPECT_EQ(RunWhole(input), expected);
  EXPECT_EQ(RunBytewise(input), expected);
}

TEST(ImapFramerTest, LineOfExactlyMaxLineIsAccepted) {
  std::string line = "t1 " + std::string(61, 'b');  // 64 bytes
  EXPECT_EQ(RunBytewise(line + "\r\n"), (std::vector<std::string>{"F:" + line}));
  EXPECT_EQ(RunBytewise(line + "c\r\n"), (std::vector<std::string>{"E:line_too_long:ok:t1"}));
}

TEST(ImapFramerTest, LineTooLongWithoutReadableTag) {
  EXPECT_EQ(RunWhole(std::string(100, 'a') + "\r\n"), (std::vector<std::string>{"E:line_too_long:ok:"}));
  EXPECT_EQ(RunWhole("+bad " + std::string(100, 'a') + "\r\n"), (std::vector<std::string>{"E:line_too_long:ok:"}));
}

TEST(ImapFramerTest, LineLimitCountsAllLineSegmentsButNotLiterals) {
  // 3 segments of 30 bytes: over the 64-byte line limit together.
  std::string seg = std::string(25, 'x') + " {1+}\r\n";
  std::string input = "t1 " + seg + "L" + seg + "L" + std::string(30, 'y') + "\r\nt2 NOOP\r\n";
  EXPECT_EQ(RunWhole(input)[0], "E:line_too_long:ok:t1");
  // Literals themselves do not count against max_line.
  std::string ok = "t1 X {90+}\r\n" + std::string(90, 'z') + "\r\n";
  EXPECT_EQ(RunWhole(ok), (std::vector<std::string>{"F:" + ok.substr(0, ok.size() - 2)}));
}

TEST(ImapFramerTest, OverlongLineEndingInNonSyncLiteralIsFatal) {
  std::string input = "t1 X " + std::string(100, 'a') + " {5+}\r\nhello\r\n";
  EXPECT_EQ(RunWhole(input), (std::vector<std::string>{"E:line_too_long:fatal:t1"}));
  EXPECT_EQ(RunBytewise(input), (std::vector<std::string>{"E:line_too_long:fatal:t1"}));
}

TEST(ImapFramerTest, SyncLiteralTooLargeIsRefusedWithoutConsumingIt) {
  // The client waits for "+" that never comes, so the next bytes it sends
  // are a new command.
  auto events = RunBytewise("t1 APPEND box {101}\r\nt2 NOOP\r\n");
  EXPECT_EQ(events, (std::vector<std::string>{"E:literal_too_large:ok:t1", "F:t2 NOOP"}));
}

TEST(ImapFramerTest, HugeLiteralSizeOverflowIsTooLarge) {
  EXPECT_EQ(RunWhole("t1 X {99999999999999999999999}\r\nt2 NOOP\r\n"),
            (std::vector<std::string>{"E:literal_too_large:ok:t1", "F:t2 NOOP"}));
}

TEST(ImapFramerTest, NonSyncLiteralTooLargeIsFatalAndSwallowsTheRest) {
  ImapFramer framer(SmallLimits());
  auto events = Feed(framer, "t1 APPEND box {101+}\r\nxxxx\r\nt2 NOOP\r\n", [] { return size_t{7}; });
  EXPECT_EQ(events, (std::vector<std::string>{"E:literal_too_large:fatal:t1"}));
  EXPECT_TRUE(framer.Idle());
}

TEST(ImapFramerTest, TooManyLiterals) {
  std::string input = "t1 X {1+}\r\na {1+}\r\nb {1+}\r\nc {1}\r\nt2 NOOP\r\n";
  EXPECT_EQ(RunWhole(input), (std::vector<std::string>{"E:too_many_literals:ok:t1", "F:t2 NOOP"}));
}

TEST(ImapFramerTest, FrameTooLarge) {
  // Three literals of 100 fit max_literal but not max_frame (300).
  std::string lit(100, 'q');
  std::string input = "t1 X {100+}\r\n" + lit + " {100+}\r\n" + lit + " {100}\r\nt2 NOOP\r\n";
  EXPECT_EQ(RunWhole(input), (std::vector<std::string>{"E:frame_too_large:ok:t1", "F:t2 NOOP"}));
}

TEST(ImapFramerTest, SetLimitsAppliesToTheNextLiteral) {
  ImapFramer framer(SmallLimits());
  FrameLimits big = SmallLimits();
  big.max_literal = 1000;
  big.max_frame = 2000;
  framer.SetLimits(big);
  std::string input = "t1 X {500+}\r\n" + std::string(500, 'w') + "\r\n";
  auto events = Feed(framer, input, [] { return size_t{64}; });
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].substr(0, 2), "F:");
}

TEST(ImapFramerTest, IdleOnlyBetweenFrames) {
  ImapFramer framer(SmallLimits());
  EXPECT_TRUE(framer.Idle());
  (void)framer.Step("t1 X {3}\r\n");
  EXPECT_FALSE(framer.Idle());
  (void)framer.Step("ab");
  EXPECT_FALSE(framer.Idle());
  net::FramerStep step = framer.Step("c\r\n");
  EXPECT_EQ(step.kind, net::FramerStep::Kind::kFrame);
  EXPECT_TRUE(framer.Idle());
}

// A varied stream: every literal form, bare LF, empty lines, refused and
// over-long commands. Every split must give the same decisions.
std::string VariedStream() {
  std::string s;
  s += "a1 CAPABILITY\r\n";
  s += "a2 login {3}\r\nbob {6+}\r\nsecret\r\n";
  s += "a3 NOOP\n";
  s += "\r\n";
  s += "a4 APPEND INBOX (\\Seen) ~{5}\r\n" + std::string("x\0y\r\n", 5) + "\r\n";
  s += "a5 X {5-}\r\n";
  s += "a6 SEARCH " + std::string(80, 's') + "\r\n";
  s += "a7 APPEND INBOX {500}\r\n";
  s += "a8 X {2}\r\n{}\r\n";
  s += "a9 FETCH 1:* (BODY[HEADER.FIELDS (FROM)])\r\n";
  return s;
}

TEST(ImapFramerTest, SameDecisionsForEverySplit) {
  const std::string input = VariedStream();
  const auto whole = RunWhole(input);
  ASSERT_EQ(whole.size(), 13u);
  EXPECT_EQ(whole[2], "F:a2 login {3}\r\nbob {6+}\r\nsecret");
  EXPECT_EQ(RunBytewise(input), whole);
  // Every two-piece split.
  for (size_t cut = 0; cut <= input.size(); ++cut) {
    ImapFramer framer(SmallLimits());
    bool first = true;
    auto events = Feed(framer, input, [&] {
      size_t n = first ? cut : input.size();
      first = false;
      return n == 0 ? input.size() : n;
    });
    ASSERT_EQ(events, whole) << "cut at " << cut;
  }
  // Random chunkings.
  std::mt19937 rng(1234);
  for (int round = 0; round < 200; ++round) {
    ImapFramer framer(SmallLimits());
    auto events = Feed(framer, input, [&] { return size_t{1} + rng() % 17; });
    ASSERT_EQ(events, whole) << "round " << round;
  }
}

TEST(LiteralMarkerTest, Forms) {
  LiteralMarker m;
  ASSERT_TRUE(ParseTrailingLiteralMarker("x {12}", &m));
  EXPECT_EQ(m.size, 12u);
  EXPECT_TRUE(m.sync);
  EXPECT_FALSE(m.binary);
  ASSERT_TRUE(ParseTrailingLiteralMarker("x ~{7+}", &m));
  EXPECT_EQ(m.size, 7u);
  EXPECT_FALSE(m.sync);
  EXPECT_TRUE(m.binary);
  EXPECT_FALSE(ParseTrailingLiteralMarker("x {7-}", &m));
  EXPECT_FALSE(ParseTrailingLiteralMarker("x {+}", &m));
  EXPECT_FALSE(ParseTrailingLiteralMarker("x 7}", &m));
  EXPECT_FALSE(ParseTrailingLiteralMarker("", &m));
}

TEST(ReadableTagTest, Rules) {
  EXPECT_EQ(ReadableTag("a1 NOOP"), "a1");
  EXPECT_EQ(ReadableTag("a]1 NOOP"), "a]1");
  EXPECT_EQ(ReadableTag("a+1 NOOP"), "");
  EXPECT_EQ(ReadableTag(" NOOP"), "");
  EXPECT_EQ(ReadableTag("tag"), "tag");
  EXPECT_EQ(ReadableTag(std::string(300, 'a') + " X"), "");
}

}  // namespace
}  // namespace roost::proto
