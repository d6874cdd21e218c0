// libFuzzer target for MimeParser (storage/mime).
//
// Besides "does not crash", it checks what FETCH relies on: the structure
// does not depend on how the bytes were chunked; every span lies inside the
// message and every crlf coordinate is at least the raw one; the caps in
// MimeLimits hold; the work done is linear in the input. It also runs the
// header extraction and transfer decoders over what the parser found.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "storage/mime/header.h"
#include "storage/mime/parser.h"
#include "storage/mime/transfer.h"

namespace {

using roost::storage::mime::MessageStructure;
using roost::storage::mime::MimeLimits;
using roost::storage::mime::MimeParser;
using roost::storage::mime::Part;
using roost::storage::mime::Span;

void Check(bool condition) {
  if (!condition) std::abort();
}

void CheckSpan(const Span& s, const MessageStructure& m) {
  Check(s.offset + s.size <= m.size);
  Check(s.crlf_offset + s.crlf_size <= m.crlf_size);
  Check(s.crlf_offset >= s.offset && s.crlf_size >= s.size);
}

void Walk(const Part& p, std::string_view msg, const MessageStructure& m, size_t depth,
          const MimeLimits& limits) {
  Check(depth <= limits.max_depth);
  CheckSpan(p.header, m);
  CheckSpan(p.body, m);
  Check(p.header.offset + p.header.size <= p.body.offset);
  Check(p.params.params.size() <= limits.max_params);
  if (p.envelope) Check(p.envelope->to.addresses.size() <= limits.max_addresses + 1);
  std::string_view header = msg.substr(p.header.offset, p.header.size);
  (void)roost::storage::mime::ExtractFields(header, {"subject", "content-type"}, false);
  if (p.children.empty() && !p.message) {
    roost::storage::mime::TransferDecoder d(roost::storage::mime::ParseTransferEncoding(p.transfer_encoding));
    std::string out;
    d.Feed(msg.substr(p.body.offset, p.body.size), &out);
    d.Finish(&out);
  }
  for (const auto& c : p.children) Walk(*c, msg, m, depth + 1, limits);
  if (p.message) Walk(*p.message, msg, m, depth + 1, limits);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view msg(reinterpret_cast<const char*>(data), size);
  MimeLimits limits;
  limits.max_depth = 8;  // small caps so the fuzzer reaches them
  limits.max_parts = 50;
  limits.max_header_bytes = 4096;
  limits.max_addresses = 20;
  limits.max_params = 4;
  limits.max_raw_params = 8;

  MimeParser whole(limits);
  whole.Feed(msg);
  auto a = whole.Finish();
  Check(a.has_value());
  Check(a->size == size);
  Check(a->part_count <= limits.max_parts);
  Check(a->work <= 8 * size + 1024);
  Walk(*a->root, msg, *a, 0, limits);

  size_t chunk = size == 0 ? 1 : 1 + data[0] % 13;
  MimeParser pieces(limits);
  for (size_t i = 0; i < size; i += chunk) pieces.Feed(msg.substr(i, chunk));
  auto b = pieces.Finish();
  Check(b.has_value());
  Check(roost::storage::mime::DebugString(*a) == roost::storage::mime::DebugString(*b));
  return 0;
}
