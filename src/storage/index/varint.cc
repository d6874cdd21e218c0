#include "storage/index/varint.h"

namespace roost::storage::index {

void PutVarint64(std::string* out, uint64_t value) {
  while (value >= 0x80) {
    out->push_back(static_cast<char>((value & 0x7f) | 0x80));
    value >>= 7;
  }
  out->push_back(static_cast<char>(value));
}

size_t VarintLength(uint64_t value) {
  size_t n = 1;
  while (value >= 0x80) {
    value >>= 7;
    ++n;
  }
  return n;
}

Status GetVarint64(std::string_view* in, uint64_t* value) {
  uint64_t result = 0;
  for (size_t i = 0; i < kMaxVarint64Bytes; ++i) {
    if (i >= in->size()) return Status::Corruption("truncated varint");
    uint64_t byte = static_cast<uint8_t>((*in)[i]);
    // The tenth byte may only carry the top bit of a 64-bit value.
    if (i == kMaxVarint64Bytes - 1 && byte > 1) return Status::Corruption("varint overflows 64 bits");
    result |= (byte & 0x7f) << (7 * i);
    if ((byte & 0x80) == 0) {
      in->remove_prefix(i + 1);
      *value = result;
      return Status::Ok();
    }
  }
  return Status::Corruption("varint longer than 10 bytes");
}

Status GetVarint32(std::string_view* in, uint32_t* value) {
  uint64_t v = 0;
  ROOST_RETURN_IF_ERROR(GetVarint64(in, &v));
  if (v > UINT32_MAX) return Status::Corruption("varint overflows 32 bits");
  *value = static_cast<uint32_t>(v);
  return Status::Ok();
}

}  // namespace roost::storage::index
