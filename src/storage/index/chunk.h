// Packed columnar chunk: the `chunk` column family's value for up to
// kMaxChunkMessages messages of one mailbox (doc/design/storage-index.md).
//
// Layout: a version byte, the message count (varint), then the columns in a
// fixed order (uids, flags, keywords, modseqs, sizes, internal dates), each
// as: codec tag byte, payload length (varint), payload. The length lets the
// partial decoders skip columns they do not need without decoding them.
//
//   uids      kUidRange: first uid (all consecutive) | kUidDelta: first uid,
//             then (gap - 1) varints | kUidRuns: first uid, then runs of
//             consecutive UIDs as (skipped, length) varints
//   flags     kByteRle: (run, byte) pairs | kBitPlanes: a plane mask byte,
//             then one bitmap per flag bit in use | kByteRaw: one byte each
//   keywords  kMaskRle: (run, mask varint) pairs
//   modseqs   kModSeqRle: base, (run, delta) pairs | kModSeqDelta: base,
//             one delta varint per message; base is the chunk's minimum
//   sizes     kVarint: one varint per message
//   dates     kZigZagDelta: zigzag varint of the first date, then zigzag
//             deltas from the previous message
//
// The encoder picks the smallest codec where several exist. The decoder is
// bounded and validates everything (UIDs ascending and non-zero, run
// lengths adding up to the count, no bytes left over, modseqs within
// 63 bits): damage is Corruption, never a crash or an over-read.
//
// Pure functions. Thread affinity: thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "storage/types.h"

namespace roost::storage::index {

inline constexpr uint8_t kChunkVersion = 1;
inline constexpr size_t kMaxChunkMessages = 4096;

// All columns have the same length; index i is one message. An empty
// column in a partially decoded chunk means "not decoded".
struct ChunkColumns {
  std::vector<Uid> uids;                // strictly ascending, non-zero
  std::vector<uint8_t> flags;           // SystemFlag bits
  std::vector<uint64_t> keywords;       // keyword id masks
  std::vector<ModSeq> modseqs;          // RFC 7162 §3.1.6: < 2^63
  std::vector<uint32_t> sizes;          // RFC822.SIZE (CRLF size)
  std::vector<int64_t> internal_dates;  // seconds since the epoch

  size_t size() const { return uids.size(); }
  bool operator==(const ChunkColumns&) const = default;
};

// Checks the invariants the format relies on: equal column lengths,
// 1..kMaxChunkMessages messages, ascending non-zero UIDs, 63-bit modseqs.
Status ValidateChunkColumns(const ChunkColumns& columns);

// InvalidArgument if ValidateChunkColumns fails.
Result<std::string> EncodeChunk(const ChunkColumns& columns);

// Decodes every column.
Result<ChunkColumns> DecodeChunk(std::string_view data);

// Decodes only uids and flags (SELECT counters, SEARCH UNSEEN/FLAGGED...);
// the other columns are skipped, though their framing is still checked.
Result<ChunkColumns> DecodeUidsAndFlags(std::string_view data);

// The message count, read from the header alone.
Result<size_t> ChunkMessageCount(std::string_view data);

// Where a chunk's bytes go, for measurement and `roostctl` diagnostics:
// per column (in layout order) its codec tag and framed size (tag, length
// and payload). Checks the framing only, not the payloads.
inline constexpr size_t kChunkColumnCount = 6;
struct ChunkLayout {
  size_t messages = 0;
  size_t header_bytes = 0;
  uint8_t codecs[kChunkColumnCount] = {};
  size_t column_bytes[kChunkColumnCount] = {};
};
Result<ChunkLayout> InspectChunk(std::string_view data);

}  // namespace roost::storage::index
