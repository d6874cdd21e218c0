#include "storage/index/chunk.h"

#include <algorithm>
#include <bit>
#include <utility>

#include "storage/index/varint.h"

namespace roost::storage::index {
namespace {

// Codec tags. Values are part of the on-disk format: never renumber.
enum Codec : uint8_t {
  kUidRange = 1,
  kUidDelta = 2,
  kByteRle = 3,
  kByteRaw = 4,
  kMaskRle = 5,
  kModSeqRle = 6,
  kModSeqDelta = 7,
  kVarint = 8,
  kZigZagDelta = 9,
  kUidRuns = 10,
  kBitPlanes = 11,
};

constexpr uint64_t kModSeqLimit = uint64_t{1} << 63;  // RFC 7162 §3.1.6

enum ColumnBit : unsigned {
  kColUids = 1 << 0,
  kColFlags = 1 << 1,
  kColKeywords = 1 << 2,
  kColModSeqs = 1 << 3,
  kColSizes = 1 << 4,
  kColDates = 1 << 5,
  kColAll = (1 << 6) - 1,
};

// ---- encoding -----------------------------------------------------------

void PutColumn(std::string* out, Codec codec, const std::string& payload) {
  out->push_back(static_cast<char>(codec));
  PutVarint64(out, payload.size());
  out->append(payload);
}

template <typename T>
std::string RleEncode(const std::vector<T>& values, uint64_t offset = 0) {
  std::string out;
  size_t i = 0;
  while (i < values.size()) {
    size_t j = i + 1;
    while (j < values.size() && values[j] == values[i]) ++j;
    PutVarint64(&out, j - i);
    PutVarint64(&out, static_cast<uint64_t>(values[i]) - offset);
    i = j;
  }
  return out;
}

// Runs of consecutive UIDs: first start and length, then per later run the
// UIDs skipped since the previous run and its length. Expunges leave few
// gaps, so a chunk is usually a handful of runs.
std::string UidRuns(const std::vector<Uid>& uids) {
  std::string out;
  PutVarint32(&out, uids.front());
  size_t i = 0;
  while (i < uids.size()) {
    size_t j = i + 1;
    while (j < uids.size() && uids[j] == uids[j - 1] + 1) ++j;
    if (i > 0) PutVarint32(&out, uids[i] - uids[i - 1] - 1);
    PutVarint64(&out, j - i);
    i = j;
  }
  return out;
}

void EncodeUids(const std::vector<Uid>& uids, std::string* out) {
  bool consecutive = uids.back() - uids.front() == uids.size() - 1;
  std::string payload;
  PutVarint32(&payload, uids.front());
  if (consecutive) {
    PutColumn(out, kUidRange, payload);
    return;
  }
  for (size_t i = 1; i < uids.size(); ++i) PutVarint32(&payload, uids[i] - uids[i - 1] - 1);
  std::string runs = UidRuns(uids);
  if (runs.size() < payload.size()) {
    PutColumn(out, kUidRuns, runs);
  } else {
    PutColumn(out, kUidDelta, payload);
  }
}

// One bitmap per flag bit in use: a plane mask byte, then for each set bit
// (ascending) ceil(n/8) bytes, message i at bit i%8 of byte i/8. Wins over
// run-length when flags alternate, as in a folder of random \Seen.
std::string BitPlanes(const std::vector<uint8_t>& flags) {
  uint8_t planes = 0;
  for (uint8_t f : flags) planes |= f;
  std::string out(1, static_cast<char>(planes));
  size_t plane_bytes = (flags.size() + 7) / 8;
  for (int bit = 0; bit < 8; ++bit) {
    if (!(planes & (1 << bit))) continue;
    std::string plane(plane_bytes, '\0');
    for (size_t i = 0; i < flags.size(); ++i) {
      if (flags[i] & (1 << bit)) plane[i / 8] = static_cast<char>(plane[i / 8] | (1 << (i % 8)));
    }
    out += plane;
  }
  return out;
}

void EncodeFlags(const std::vector<uint8_t>& flags, std::string* out) {
  std::string rle = RleEncode(flags);
  std::string planes = BitPlanes(flags);
  if (rle.size() <= flags.size() && rle.size() <= planes.size()) {
    PutColumn(out, kByteRle, rle);
  } else if (planes.size() < flags.size()) {
    PutColumn(out, kBitPlanes, planes);
  } else {
    PutColumn(out, kByteRaw, std::string(flags.begin(), flags.end()));
  }
}

void EncodeModSeqs(const std::vector<ModSeq>& modseqs, std::string* out) {
  ModSeq base = *std::min_element(modseqs.begin(), modseqs.end());
  std::string rle;
  PutVarint64(&rle, base);
  rle += RleEncode(modseqs, base);
  std::string plain;
  PutVarint64(&plain, base);
  for (ModSeq m : modseqs) PutVarint64(&plain, m - base);
  if (rle.size() <= plain.size()) {
    PutColumn(out, kModSeqRle, rle);
  } else {
    PutColumn(out, kModSeqDelta, plain);
  }
}

void EncodeDates(const std::vector<int64_t>& dates, std::string* out) {
  std::string payload;
  uint64_t prev = 0;
  for (int64_t d : dates) {
    // Unsigned wrap-around keeps any int64 pair representable without UB.
    PutVarint64(&payload, ZigZagEncode(static_cast<int64_t>(static_cast<uint64_t>(d) - prev)));
    prev = static_cast<uint64_t>(d);
  }
  PutColumn(out, kZigZagDelta, payload);
}

// ---- decoding -----------------------------------------------------------

// Splits the next column off `*in`: its codec tag and exactly its payload.
Status NextColumn(std::string_view* in, uint8_t* codec, std::string_view* payload) {
  if (in->empty()) return Status::Corruption("chunk: missing column");
  *codec = static_cast<uint8_t>(in->front());
  in->remove_prefix(1);
  uint64_t len = 0;
  ROOST_RETURN_IF_ERROR(GetVarint64(in, &len));
  if (len > in->size()) return Status::Corruption("chunk: column overruns value");
  *payload = in->substr(0, len);
  in->remove_prefix(len);
  return Status::Ok();
}

Status ExpectConsumed(std::string_view payload, const char* what) {
  if (!payload.empty()) return Status::Corruption(std::string("chunk: trailing bytes in ") + what);
  return Status::Ok();
}

// Decodes n values of (run, value - offset) pairs, each value <= max_value.
Status RleDecode(std::string_view payload, size_t n, uint64_t offset, uint64_t max_value,
                 std::vector<uint64_t>* out) {
  out->clear();
  out->reserve(n);
  while (out->size() < n) {
    uint64_t run = 0, delta = 0;
    ROOST_RETURN_IF_ERROR(GetVarint64(&payload, &run));
    if (run == 0 || run > n - out->size()) return Status::Corruption("chunk: bad run length");
    ROOST_RETURN_IF_ERROR(GetVarint64(&payload, &delta));
    if (delta > max_value - offset) return Status::Corruption("chunk: run value out of range");
    out->insert(out->end(), run, offset + delta);
  }
  return ExpectConsumed(payload, "run-length column");
}

// `payload` is past the first UID; `out` is empty.
Status DecodeUidRuns(std::string_view payload, uint64_t uid, size_t n, std::vector<Uid>* out) {
  while (out->size() < n) {
    if (!out->empty()) {
      uint32_t skipped = 0;
      ROOST_RETURN_IF_ERROR(GetVarint32(&payload, &skipped));
      uid += skipped;
    }
    uint64_t run = 0;
    ROOST_RETURN_IF_ERROR(GetVarint64(&payload, &run));
    if (run == 0 || run > n - out->size()) return Status::Corruption("chunk: bad uid run");
    if (uid + run - 1 > UINT32_MAX) return Status::Corruption("chunk: uid overflows");
    for (uint64_t k = 0; k < run; ++k) out->push_back(static_cast<Uid>(uid++));
  }
  return ExpectConsumed(payload, "uids");
}

Status DecodeUids(uint8_t codec, std::string_view payload, size_t n, std::vector<Uid>* out) {
  uint32_t first = 0;
  ROOST_RETURN_IF_ERROR(GetVarint32(&payload, &first));
  if (first == 0) return Status::Corruption("chunk: uid 0");
  out->clear();
  out->reserve(n);
  uint64_t uid = first;
  if (codec == kUidRange) {
    if (uid + n - 1 > UINT32_MAX) return Status::Corruption("chunk: uid range overflows");
    for (size_t i = 0; i < n; ++i) out->push_back(static_cast<Uid>(uid + i));
    return ExpectConsumed(payload, "uids");
  }
  if (codec == kUidRuns) return DecodeUidRuns(payload, first, n, out);
  if (codec != kUidDelta) return Status::Corruption("chunk: unknown uid codec");
  out->push_back(first);
  for (size_t i = 1; i < n; ++i) {
    uint32_t gap = 0;
    ROOST_RETURN_IF_ERROR(GetVarint32(&payload, &gap));
    uid += uint64_t{gap} + 1;
    if (uid > UINT32_MAX) return Status::Corruption("chunk: uid overflows");
    out->push_back(static_cast<Uid>(uid));
  }
  return ExpectConsumed(payload, "uids");
}

Status DecodeBitPlanes(std::string_view payload, size_t n, std::vector<uint8_t>* out) {
  if (payload.empty()) return Status::Corruption("chunk: missing flag planes");
  uint8_t planes = static_cast<uint8_t>(payload[0]);
  size_t plane_bytes = (n + 7) / 8;
  if (payload.size() != 1 + static_cast<size_t>(std::popcount(planes)) * plane_bytes) {
    return Status::Corruption("chunk: flag plane length");
  }
  out->assign(n, 0);
  const char* p = payload.data() + 1;
  for (int bit = 0; bit < 8; ++bit) {
    if (!(planes & (1 << bit))) continue;
    for (size_t i = 0; i < n; ++i) {
      if (p[i / 8] & (1 << (i % 8))) (*out)[i] = static_cast<uint8_t>((*out)[i] | (1 << bit));
    }
    // Padding bits past message n must be zero: anything else is damage.
    if (n % 8 != 0 && (static_cast<uint8_t>(p[plane_bytes - 1]) >> (n % 8)) != 0) {
      return Status::Corruption("chunk: flag plane padding");
    }
    p += plane_bytes;
  }
  return Status::Ok();
}

Status DecodeFlags(uint8_t codec, std::string_view payload, size_t n, std::vector<uint8_t>* out) {
  if (codec == kByteRaw) {
    if (payload.size() != n) return Status::Corruption("chunk: flag column length");
    out->assign(payload.begin(), payload.end());
    return Status::Ok();
  }
  if (codec == kBitPlanes) return DecodeBitPlanes(payload, n, out);
  if (codec != kByteRle) return Status::Corruption("chunk: unknown flags codec");
  std::vector<uint64_t> wide;
  ROOST_RETURN_IF_ERROR(RleDecode(payload, n, 0, UINT8_MAX, &wide));
  out->assign(wide.begin(), wide.end());
  return Status::Ok();
}

Status DecodeKeywords(uint8_t codec, std::string_view payload, size_t n, std::vector<uint64_t>* out) {
  if (codec != kMaskRle) return Status::Corruption("chunk: unknown keywords codec");
  return RleDecode(payload, n, 0, UINT64_MAX, out);
}

Status DecodeModSeqs(uint8_t codec, std::string_view payload, size_t n, std::vector<ModSeq>* out) {
  uint64_t base = 0;
  ROOST_RETURN_IF_ERROR(GetVarint64(&payload, &base));
  if (base >= kModSeqLimit) return Status::Corruption("chunk: modseq base out of range");
  if (codec == kModSeqRle) return RleDecode(payload, n, base, kModSeqLimit - 1, out);
  if (codec != kModSeqDelta) return Status::Corruption("chunk: unknown modseq codec");
  out->clear();
  out->reserve(n);
  for (size_t i = 0; i < n; ++i) {
    uint64_t delta = 0;
    ROOST_RETURN_IF_ERROR(GetVarint64(&payload, &delta));
    if (delta >= kModSeqLimit - base) return Status::Corruption("chunk: modseq out of range");
    out->push_back(base + delta);
  }
  return ExpectConsumed(payload, "modseqs");
}

Status DecodeSizes(uint8_t codec, std::string_view payload, size_t n, std::vector<uint32_t>* out) {
  if (codec != kVarint) return Status::Corruption("chunk: unknown sizes codec");
  out->resize(n);
  for (size_t i = 0; i < n; ++i) ROOST_RETURN_IF_ERROR(GetVarint32(&payload, &(*out)[i]));
  return ExpectConsumed(payload, "sizes");
}

Status DecodeDates(uint8_t codec, std::string_view payload, size_t n, std::vector<int64_t>* out) {
  if (codec != kZigZagDelta) return Status::Corruption("chunk: unknown dates codec");
  out->resize(n);
  uint64_t prev = 0;
  for (size_t i = 0; i < n; ++i) {
    uint64_t z = 0;
    ROOST_RETURN_IF_ERROR(GetVarint64(&payload, &z));
    prev += static_cast<uint64_t>(ZigZagDecode(z));
    (*out)[i] = static_cast<int64_t>(prev);
  }
  return ExpectConsumed(payload, "dates");
}

Status ReadHeader(std::string_view* in, size_t* n) {
  if (in->empty()) return Status::Corruption("chunk: empty value");
  if (static_cast<uint8_t>(in->front()) != kChunkVersion) {
    return Status::Corruption("chunk: unknown version " + std::to_string(static_cast<uint8_t>(in->front())));
  }
  in->remove_prefix(1);
  uint64_t count = 0;
  ROOST_RETURN_IF_ERROR(GetVarint64(in, &count));
  if (count == 0 || count > kMaxChunkMessages) return Status::Corruption("chunk: bad message count");
  *n = count;
  return Status::Ok();
}

Result<ChunkColumns> Decode(std::string_view in, unsigned wanted) {
  size_t n = 0;
  ROOST_RETURN_IF_ERROR(ReadHeader(&in, &n));
  ChunkColumns c;
  uint8_t codec = 0;
  std::string_view p;
  ROOST_RETURN_IF_ERROR(NextColumn(&in, &codec, &p));
  if (wanted & kColUids) ROOST_RETURN_IF_ERROR(DecodeUids(codec, p, n, &c.uids));
  ROOST_RETURN_IF_ERROR(NextColumn(&in, &codec, &p));
  if (wanted & kColFlags) ROOST_RETURN_IF_ERROR(DecodeFlags(codec, p, n, &c.flags));
  ROOST_RETURN_IF_ERROR(NextColumn(&in, &codec, &p));
  if (wanted & kColKeywords) ROOST_RETURN_IF_ERROR(DecodeKeywords(codec, p, n, &c.keywords));
  ROOST_RETURN_IF_ERROR(NextColumn(&in, &codec, &p));
  if (wanted & kColModSeqs) ROOST_RETURN_IF_ERROR(DecodeModSeqs(codec, p, n, &c.modseqs));
  ROOST_RETURN_IF_ERROR(NextColumn(&in, &codec, &p));
  if (wanted & kColSizes) ROOST_RETURN_IF_ERROR(DecodeSizes(codec, p, n, &c.sizes));
  ROOST_RETURN_IF_ERROR(NextColumn(&in, &codec, &p));
  if (wanted & kColDates) ROOST_RETURN_IF_ERROR(DecodeDates(codec, p, n, &c.internal_dates));
  if (!in.empty()) return Status::Corruption("chunk: trailing bytes after last column");
  return c;
}

}  // namespace

Status ValidateChunkColumns(const ChunkColumns& c) {
  size_t n = c.uids.size();
  if (n == 0 || n > kMaxChunkMessages) return Status::InvalidArgument("chunk: bad message count");
  if (c.flags.size() != n || c.keywords.size() != n || c.modseqs.size() != n || c.sizes.size() != n ||
      c.internal_dates.size() != n) {
    return Status::InvalidArgument("chunk: column lengths differ");
  }
  if (c.uids[0] == 0) return Status::InvalidArgument("chunk: uid 0");
  for (size_t i = 1; i < n; ++i) {
    if (c.uids[i] <= c.uids[i - 1]) return Status::InvalidArgument("chunk: uids not ascending");
  }
  for (ModSeq m : c.modseqs) {
    if (m >= kModSeqLimit) return Status::InvalidArgument("chunk: modseq above 63 bits");
  }
  return Status::Ok();
}

Result<std::string> EncodeChunk(const ChunkColumns& c) {
  ROOST_RETURN_IF_ERROR(ValidateChunkColumns(c));
  std::string out;
  out.push_back(static_cast<char>(kChunkVersion));
  PutVarint64(&out, c.size());
  EncodeUids(c.uids, &out);
  EncodeFlags(c.flags, &out);
  PutColumn(&out, kMaskRle, RleEncode(c.keywords));
  EncodeModSeqs(c.modseqs, &out);
  std::string sizes;
  for (uint32_t s : c.sizes) PutVarint32(&sizes, s);
  PutColumn(&out, kVarint, sizes);
  EncodeDates(c.internal_dates, &out);
  return out;
}

Result<ChunkColumns> DecodeChunk(std::string_view data) { return Decode(data, kColAll); }

Result<ChunkColumns> DecodeUidsAndFlags(std::string_view data) { return Decode(data, kColUids | kColFlags); }

Result<ChunkLayout> InspectChunk(std::string_view data) {
  ChunkLayout layout;
  std::string_view in = data;
  ROOST_RETURN_IF_ERROR(ReadHeader(&in, &layout.messages));
  layout.header_bytes = data.size() - in.size();
  for (size_t i = 0; i < kChunkColumnCount; ++i) {
    size_t before = in.size();
    std::string_view payload;
    ROOST_RETURN_IF_ERROR(NextColumn(&in, &layout.codecs[i], &payload));
    layout.column_bytes[i] = before - in.size();
  }
  if (!in.empty()) return Status::Corruption("chunk: trailing bytes after last column");
  return layout;
}

Result<size_t> ChunkMessageCount(std::string_view data) {
  size_t n = 0;
  ROOST_RETURN_IF_ERROR(ReadHeader(&data, &n));
  return n;
}

}  // namespace roost::storage::index
