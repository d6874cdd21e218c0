// LEB128 varints and zigzag for the index's packed encodings.
//
// Put* append to a std::string; Get* consume from the front of a
// string_view and return Corruption on truncation or an over-long encoding,
// so a damaged index value is reported, never read past its end.
//
// Pure functions. Thread affinity: thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/status.h"

namespace roost::storage::index {

inline constexpr size_t kMaxVarint64Bytes = 10;

void PutVarint64(std::string* out, uint64_t value);
inline void PutVarint32(std::string* out, uint32_t value) { PutVarint64(out, value); }

// Reads one varint from the front of `*in` and advances it.
Status GetVarint64(std::string_view* in, uint64_t* value);
// As GetVarint64, and Corruption if the value does not fit in 32 bits.
Status GetVarint32(std::string_view* in, uint32_t* value);

// Number of bytes PutVarint64 would append.
size_t VarintLength(uint64_t value);

// Zigzag maps small signed values to small unsigned ones (0,-1,1,-2 ->
// 0,1,2,3) so negative deltas stay short.
inline constexpr uint64_t ZigZagEncode(int64_t v) {
  return (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63);
}
inline constexpr int64_t ZigZagDecode(uint64_t v) {
  return static_cast<int64_t>(v >> 1) ^ -static_cast<int64_t>(v & 1);
}

}  // namespace roost::storage::index
