#include "storage/mime/transfer.h"

#include "storage/mime/charset.h"

namespace roost::storage::mime {
namespace {

// Bounds on whitespace held back while deciding whether it is trailing
// (and so dropped): longer runs are flushed as data.
constexpr size_t kMaxPendingWs = 1024;

int Base64Value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;  // lenient: RFC 2045 wants upper case
  return -1;
}

bool IsWs(char c) { return c == ' ' || c == '\t'; }

}  // namespace

TransferEncoding ParseTransferEncoding(std::optional<std::string_view> value) {
  if (!value) return TransferEncoding::k7Bit;
  std::string_view v = *value;
  while (!v.empty() && (IsWs(v.front()) || v.front() == '\r' || v.front() == '\n')) v.remove_prefix(1);
  while (!v.empty() && (IsWs(v.back()) || v.back() == '\r' || v.back() == '\n')) v.remove_suffix(1);
  if (v.empty() || AsciiEqualsIgnoreCase(v, "7bit")) return TransferEncoding::k7Bit;
  if (AsciiEqualsIgnoreCase(v, "8bit")) return TransferEncoding::k8Bit;
  if (AsciiEqualsIgnoreCase(v, "binary")) return TransferEncoding::kBinary;
  if (AsciiEqualsIgnoreCase(v, "base64")) return TransferEncoding::kBase64;
  if (AsciiEqualsIgnoreCase(v, "quoted-printable")) return TransferEncoding::kQuotedPrintable;
  return TransferEncoding::kUnknown;
}

void Base64Decoder::Feed(std::string_view in, std::string* out) {
  for (char c : in) {
    int v = Base64Value(c);
    if (v < 0) {
      if (c == '=') {
        Pad(out);
      } else if (!IsWs(c) && c != '\r' && c != '\n') {
        error_ = true;
      }
      continue;
    }
    acc_ = (acc_ << 6) | static_cast<uint32_t>(v);
    if (++count_ == 4) {
      out->push_back(static_cast<char>((acc_ >> 16) & 0xFF));
      out->push_back(static_cast<char>((acc_ >> 8) & 0xFF));
      out->push_back(static_cast<char>(acc_ & 0xFF));
      acc_ = 0;
      count_ = 0;
    }
  }
}

// '=' ends a quantum. Data may continue after it (concatenated base64
// blocks are common), so decoding goes on with a fresh quantum.
void Base64Decoder::Pad(std::string* out) {
  if (count_ == 1) error_ = true;
  if (count_ == 2) {
    out->push_back(static_cast<char>((acc_ >> 4) & 0xFF));
  } else if (count_ == 3) {
    out->push_back(static_cast<char>((acc_ >> 10) & 0xFF));
    out->push_back(static_cast<char>((acc_ >> 2) & 0xFF));
  }
  acc_ = 0;
  count_ = 0;
}

void Base64Decoder::Finish(std::string* out) { Pad(out); }

void QuotedPrintableDecoder::FlushWs(std::string* out) {
  out->append(pending_ws_);
  pending_ws_.clear();
}

// An '=' that starts no valid escape or soft break is data.
void QuotedPrintableDecoder::Invalid(std::string* out) {
  ++invalid_escapes_;
  out->push_back('=');
  if (state_ == State::kEqHex) out->push_back(hex_);
  out->append(eq_ws_);
  eq_ws_.clear();
  state_ = State::kText;
}

// Over the function size budget on purpose: one switch shows every state
// transition of the decoder in one place; split up, it reads worse.
void QuotedPrintableDecoder::Step(char c, std::string* out) {
  switch (state_) {
    case State::kText:
      if (IsWs(c)) {
        if (pending_ws_.size() >= kMaxPendingWs) FlushWs(out);
        pending_ws_.push_back(c);
      } else if (c == '\r') {
        state_ = State::kCr;
      } else if (c == '\n') {
        pending_ws_.clear();  // trailing whitespace is padding (rule 3)
        out->append("\r\n");
      } else if (c == '=') {
        FlushWs(out);
        state_ = State::kEq;
      } else {
        FlushWs(out);
        out->push_back(c);
      }
      return;
    case State::kCr:
      state_ = State::kText;
      if (c == '\n') {
        pending_ws_.clear();
        out->append("\r\n");
        return;
      }
      FlushWs(out);
      out->push_back('\r');
      Step(c, out);
      return;
    case State::kEq:
      if (HexValue(c) >= 0) {
        hex_ = c;
        state_ = State::kEqHex;
      } else if (c == '\n') {
        state_ = State::kText;  // soft line break
      } else if (c == '\r') {
        state_ = State::kEqCr;
      } else if (IsWs(c)) {
        eq_ws_.push_back(c);
        state_ = State::kEqWs;
      } else {
        Invalid(out);
        Step(c, out);
      }
      return;
    case State::kEqHex:
      if (HexValue(c) >= 0) {
        out->push_back(static_cast<char>(HexValue(hex_) * 16 + HexValue(c)));
        state_ = State::kText;
      } else {
        Invalid(out);
        Step(c, out);
      }
      return;
    case State::kEqWs:
      if (IsWs(c) && eq_ws_.size() < kMaxPendingWs) {
        eq_ws_.push_back(c);
      } else if (c == '\r') {
        state_ = State::kEqCr;
      } else if (c == '\n') {
        eq_ws_.clear();
        state_ = State::kText;  // soft break with trailing padding
      } else {
        Invalid(out);
        Step(c, out);
      }
      return;
    case State::kEqCr:
      if (c == '\n') {
        eq_ws_.clear();
        state_ = State::kText;
        return;
      }
      Invalid(out);
      state_ = State::kCr;
      Step(c, out);
      return;
  }
}

void QuotedPrintableDecoder::Feed(std::string_view in, std::string* out) {
  for (char c : in) Step(c, out);
}

void QuotedPrintableDecoder::Finish(std::string* out) {
  switch (state_) {
    case State::kText:
    case State::kEq:  // "=" at the very end: a soft break before nothing
    case State::kEqWs:
    case State::kEqCr:
      break;
    case State::kCr:
      out->push_back('\r');
      break;
    case State::kEqHex:
      Invalid(out);
      break;
  }
  pending_ws_.clear();  // trailing whitespace of the last line is padding
  eq_ws_.clear();
  state_ = State::kText;
}

void TransferDecoder::Feed(std::string_view in, std::string* out) {
  switch (encoding_) {
    case TransferEncoding::kBase64:
      b64_.Feed(in, out);
      return;
    case TransferEncoding::kQuotedPrintable:
      qp_.Feed(in, out);
      return;
    case TransferEncoding::k7Bit:
    case TransferEncoding::k8Bit:
    case TransferEncoding::kBinary:
    case TransferEncoding::kUnknown:
      out->append(in);
      return;
  }
}

void TransferDecoder::Finish(std::string* out) {
  if (encoding_ == TransferEncoding::kBase64) b64_.Finish(out);
  if (encoding_ == TransferEncoding::kQuotedPrintable) qp_.Finish(out);
}

bool TransferDecoder::error() const {
  return encoding_ == TransferEncoding::kUnknown || (encoding_ == TransferEncoding::kBase64 && b64_.error());
}

std::string DecodeTransfer(TransferEncoding encoding, std::string_view in, bool* error) {
  TransferDecoder d(encoding);
  std::string out;
  d.Feed(in, &out);
  d.Finish(&out);
  if (error) *error = d.error();
  return out;
}

}  // namespace roost::storage::mime
