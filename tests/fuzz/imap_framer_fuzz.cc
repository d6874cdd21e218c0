// libFuzzer target for ImapFramer (STYLE.md convention 8).
//
// Input: the first byte picks a chunk size, the rest is the byte stream.
// Checks that the framer never over-consumes, that splitting the stream
// into chunks gives the same decisions as feeding it whole, and that every
// frame it produces survives the command parser.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "proto/common/line_framer.h"
#include "proto/imap/parser.h"

namespace {

using roost::FrameLimits;
using roost::proto::ImapFramer;
namespace net = roost::net;

std::vector<std::string> Collect(std::string_view input, size_t chunk, const FrameLimits& limits) {
  ImapFramer framer(limits);
  std::vector<std::string> events;
  while (!input.empty()) {
    std::string_view piece = input.substr(0, chunk);
    input.remove_prefix(piece.size());
    while (true) {
      net::FramerStep step = framer.Step(piece);
      if (step.consumed > piece.size()) std::abort();
      piece.remove_prefix(step.consumed);
      if (step.kind == net::FramerStep::Kind::kNeedMore) {
        if (!piece.empty()) std::abort();
        break;
      }
      if (step.kind == net::FramerStep::Kind::kContinuation) {
        events.push_back("C");
      } else if (step.frame.error) {
        const auto& e = *step.frame.error;
        events.push_back("E" + std::to_string(static_cast<int>(e.kind)) + (e.fatal ? "!" : ".") + e.tag);
      } else {
        events.push_back("F" + step.frame.bytes);
      }
    }
  }
  return events;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const size_t chunk = data[0] % 31 + 1;
  std::string_view input(reinterpret_cast<const char*>(data + 1), size - 1);
  const FrameLimits limits{.max_line = 256, .max_literal = 1024, .max_frame = 4096, .max_literals = 8};
  const auto whole = Collect(input, input.size() + 1, limits);
  if (Collect(input, chunk, limits) != whole) std::abort();
  for (const std::string& event : whole) {
    if (event.empty() || event[0] != 'F') continue;
    std::string_view bytes = std::string_view(event).substr(1);
    roost::proto::imap::CommandParser parser(bytes);
    if (parser.ReadCommandLine().has_value()) (void)parser.RemainingTokens();
  }
  return 0;
}
