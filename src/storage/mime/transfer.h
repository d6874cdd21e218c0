// Content-Transfer-Encoding decoders (RFC 2045 §6) for BINARY[section]
// (RFC 3516) and for RFC 2047 'B'/'Q' words.
//
// Decoders are streaming: Feed() takes any chunking of the encoded body and
// appends decoded bytes; Finish() flushes what a partial input held back.
// State is a few bytes, so decoding a 1 GB body needs no more memory than
// one chunk. They are lenient the way mail clients are: base64 skips
// whitespace and tolerates missing padding; quoted-printable passes invalid
// escapes through literally (RFC 2045 §6.7 note (2)). base64 garbage sets
// error(), which BINARY reports as [UNKNOWN-CTE] (RFC 3516 §4.3).
//
// Thread affinity: one decoder per stream; no shared state.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace roost::storage::mime {

enum class TransferEncoding : unsigned char {
  k7Bit,
  k8Bit,
  kBinary,
  kBase64,
  kQuotedPrintable,
  kUnknown,  // x-uuencode and friends: BINARY answers [UNKNOWN-CTE]
};

// Maps a Content-Transfer-Encoding value (any case, surrounding whitespace
// allowed; nullopt = header absent = 7bit).
TransferEncoding ParseTransferEncoding(std::optional<std::string_view> value);

class Base64Decoder {
 public:
  void Feed(std::string_view in, std::string* out);
  void Finish(std::string* out);
  // Characters outside the alphabet were seen, or the input ended with a
  // lone sextet that cannot form a byte.
  bool error() const { return error_; }

 private:
  void Pad(std::string* out);

  uint32_t acc_ = 0;
  int count_ = 0;  // sextets in acc_
  bool error_ = false;
};

// Hard line breaks come out as CRLF whatever the input used: decoded text
// is in canonical form (RFC 2045 §6.7 rule 4), which is what BINARY sends.
class QuotedPrintableDecoder {
 public:
  void Feed(std::string_view in, std::string* out);
  void Finish(std::string* out);
  // Invalid "=" escapes passed through; informational, not an error.
  uint64_t invalid_escapes() const { return invalid_escapes_; }

 private:
  enum class State : unsigned char { kText, kCr, kEq, kEqHex, kEqWs, kEqCr };
  void Step(char c, std::string* out);
  void FlushWs(std::string* out);
  void Invalid(std::string* out);

  State state_ = State::kText;
  char hex_ = 0;
  std::string pending_ws_;  // possible trailing whitespace, bounded
  std::string eq_ws_;       // whitespace after '=', bounded
  uint64_t invalid_escapes_ = 0;
};

// One decoder for any encoding: identity for 7bit/8bit/binary; kUnknown
// passes bytes through and reports error().
class TransferDecoder {
 public:
  explicit TransferDecoder(TransferEncoding encoding) : encoding_(encoding) {}
  void Feed(std::string_view in, std::string* out);
  void Finish(std::string* out);
  bool error() const;

 private:
  TransferEncoding encoding_;
  Base64Decoder b64_;
  QuotedPrintableDecoder qp_;
};

// Whole-buffer convenience.
std::string DecodeTransfer(TransferEncoding encoding, std::string_view in, bool* error = nullptr);

}  // namespace roost::storage::mime
