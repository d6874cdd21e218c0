// MimeLimits: every bound the MIME parser puts on what a message can make
// it hold or do. Any message, however malformed, parses in time linear in
// its size and in memory bounded by these values.
//
// Thread affinity: plain data.
#pragma once

#include <cstddef>

namespace roost::storage::mime {

struct MimeLimits {
  // Header block kept per part. Real headers are a few KB; 256 KB covers
  // very long To/Cc lists. Past it, the rest of the block is skipped (but
  // still counted, so offsets stay exact) and Part::header_truncated is set.
  size_t max_header_bytes = 256 * 1024;
  // Nesting of multiparts and encapsulated messages. Real mail rarely goes
  // past 10; dovecot uses 100. Deeper containers become opaque leaves.
  size_t max_depth = 64;
  // Parts in one message, counting every node of the tree. Beyond it, no
  // new part is created; the content stays inside its enclosing part.
  size_t max_parts = 10000;
  // Addresses per header (group markers count). The rest is dropped and
  // AddressList::truncated is set.
  size_t max_addresses = 10000;
  // Parameters kept per Content-Type / Content-Disposition after RFC 2231
  // joining, and raw `name=value` items looked at before joining (each
  // RFC 2231 section is one raw item).
  size_t max_params = 64;
  size_t max_raw_params = 256;
  // Longest boundary accepted. RFC 2046 §5.1.1 allows 70; some generators
  // go further. A multipart with a longer boundary is parsed as opaque.
  size_t max_boundary = 200;
};

}  // namespace roost::storage::mime
