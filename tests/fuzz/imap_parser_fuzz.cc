// libFuzzer target for the IMAP CommandParser (STYLE.md convention 8).
//
// Input: the first byte picks which cursor calls read the arguments, the
// rest is one frame's bytes. Checks that nothing crashes, that every view
// returned lies inside the frame or the parser's own storage (ASan), and
// that the parser always makes progress (it terminates).
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "proto/imap/parser.h"

namespace {

using roost::proto::imap::CommandParser;
using roost::proto::imap::Token;

size_t Touch(std::string_view v) {
  size_t sum = 0;
  for (char c : v) sum += static_cast<unsigned char>(c);
  return sum;
}

size_t TouchTokens(const std::vector<Token>& tokens) {
  size_t sum = 0;
  for (const Token& t : tokens) sum += Touch(t.text) + TouchTokens(t.children);
  return sum;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const uint8_t mode = data[0];
  std::string bytes(reinterpret_cast<const char*>(data + 1), size - 1);
  CommandParser parser(bytes);
  auto line = parser.ReadCommandLine();
  if (!line) return 0;
  volatile size_t sink = Touch(line->tag) + Touch(line->name);
  // Each call either consumes an argument or fails; stop at the first
  // failure like a command would. At most one call per input byte.
  for (size_t i = 0; i <= bytes.size() && !parser.AtEnd(); ++i) {
    bool ok = true;
    switch ((mode >> (2 * (i % 4))) & 3) {
      case 0: {
        auto r = parser.NextAString();
        ok = r.has_value();
        if (ok) sink = sink + Touch(*r);
        break;
      }
      case 1: {
        auto r = parser.NextNString();
        ok = r.has_value();
        if (ok && r->has_value()) sink = sink + Touch(**r);
        break;
      }
      case 2: {
        auto r = parser.NextList();
        ok = r.has_value();
        if (ok) sink = sink + TouchTokens(*r);
        break;
      }
      default: {
        auto r = parser.NextToken();
        ok = r.has_value();
        if (ok) sink = sink + Touch(r->text) + TouchTokens(r->children);
        break;
      }
    }
    if (!ok) break;
  }
  (void)sink;
  return 0;
}
