#include "proto/common/plain_line_framer.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace roost::proto {
namespace {

std::vector<std::string> Feed(std::string_view input, size_t chunk, size_t max_line = 16) {
  PlainLineFramer framer(FrameLimits{.max_line = max_line});
  std::vector<std::string> out;
  while (!input.empty()) {
    std::string_view piece = input.substr(0, std::min(chunk, input.size()));
    input.remove_prefix(piece.size());
    while (true) {
      net::FramerStep step = framer.Step(piece);
      piece.remove_prefix(step.consumed);
      if (step.kind == net::FramerStep::Kind::kNeedMore) break;
      EXPECT_EQ(step.kind, net::FramerStep::Kind::kFrame);
      out.push_back(step.frame.error ? "E" : "F:" + step.frame.bytes);
    }
  }
  EXPECT_TRUE(framer.Idle());
  return out;
}

TEST(PlainLineFramerTest, LinesAndLimits) {
  std::string input = "USER bob\r\nPASS {3}\nNOOP\r\n" + std::string(40, 'x') + "\r\nQUIT\r\n";
  std::vector<std::string> expected = {"F:USER bob", "F:PASS {3}", "F:NOOP", "E", "F:QUIT"};
  EXPECT_EQ(Feed(input, input.size()), expected);
  EXPECT_EQ(Feed(input, 1), expected);
  EXPECT_EQ(Feed(input, 5), expected);
}

TEST(PlainLineFramerTest, ExactlyMaxLine) {
  EXPECT_EQ(Feed(std::string(16, 'a') + "\r\n", 1), (std::vector<std::string>{"F:" + std::string(16, 'a')}));
  EXPECT_EQ(Feed(std::string(17, 'a') + "\r\n", 1), (std::vector<std::string>{"E"}));
}

}  // namespace
}  // namespace roost::proto
