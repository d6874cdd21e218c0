// libFuzzer target for ParseProxyHeader.
//
// Besides "does not crash", it checks the property the Connection relies
// on when bytes trickle in: parsing any prefix of the input either asks
// for more or gives exactly the answer the whole input gives. A header's
// parse also must not depend on the bytes after it.
#include <sys/socket.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string_view>

#include "net/proxy_protocol.h"

namespace {

using roost::net::ParseProxyHeader;
using roost::net::ProxyParse;
using roost::net::SocketAddress;

void Check(bool condition) {
  if (!condition) std::abort();
}

bool SameAddress(const SocketAddress& a, const SocketAddress& b) {
  return a.len == b.len && std::memcmp(&a.storage, &b.storage, sizeof(a.storage)) == 0;
}

bool SameParse(const ProxyParse& a, const ProxyParse& b) {
  if (a.kind != b.kind) return false;
  if (a.kind != ProxyParse::Kind::kDone) return true;
  return a.header.length == b.header.length && a.header.has_addresses == b.header.has_addresses &&
         SameAddress(a.header.source, b.header.source) &&
         SameAddress(a.header.destination, b.header.destination);
}

void CheckShape(const ProxyParse& parse, size_t input_size) {
  if (parse.kind == ProxyParse::Kind::kError) Check(!parse.error.ok());
  if (parse.kind != ProxyParse::Kind::kDone) return;
  Check(parse.header.length > 0 && parse.header.length <= input_size);
  if (!parse.header.has_addresses) return;
  for (const SocketAddress* a : {&parse.header.source, &parse.header.destination}) {
    int family = a->storage.ss_family;
    Check(family == AF_INET || family == AF_INET6);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  ProxyParse whole = ParseProxyHeader(input);
  CheckShape(whole, size);
  // Split at every byte boundary: the first part alone must need more or
  // agree with the whole; then (as a connection would) the whole decides.
  for (size_t split = 0; split <= size; ++split) {
    ProxyParse first = ParseProxyHeader(input.substr(0, split));
    CheckShape(first, split);
    if (first.kind != ProxyParse::Kind::kNeedMore) Check(SameParse(first, whole));
  }
  if (whole.kind == ProxyParse::Kind::kDone) {
    Check(SameParse(ParseProxyHeader(input.substr(0, whole.header.length)), whole));
  }
  return 0;
}
