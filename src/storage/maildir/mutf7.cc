#include "storage/maildir/mutf7.h"

#include <cstdint>
#include <vector>

#include "storage/maildir/codec_util.h"

namespace roost::storage::maildir {
namespace {

// RFC 3501 §5.1.3: RFC 2152 base64 with ',' in place of '/'.
constexpr char kB64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,";

int B64Value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == ',') return 63;
  return -1;
}

bool IsDirect(uint32_t cp) { return cp >= 0x20 && cp <= 0x7E; }

Status Bad(size_t offset, std::string_view reason) {
  return Status::InvalidArgument("modified UTF-7 at byte " + std::to_string(offset) + ": " +
                                 std::string(reason));
}

// Decodes one UTF-8 sequence at `i`; input is already validated.
uint32_t NextCodePoint(std::string_view s, size_t& i) {
  auto c = static_cast<unsigned char>(s[i]);
  size_t len = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : 4;
  uint32_t cp = len == 1 ? c : len == 2 ? (c & 0x1F) : len == 3 ? (c & 0x0F) : (c & 0x07);
  for (size_t k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
  i += len;
  return cp;
}

void AppendUtf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

void FlushShift(std::string& out, const std::vector<uint16_t>& units) {
  out.push_back('&');
  uint32_t acc = 0;
  int bits = 0;
  for (uint16_t u : units) {
    acc = (acc << 16) | u;
    bits += 16;
    while (bits >= 6) {
      bits -= 6;
      out.push_back(kB64[(acc >> bits) & 0x3F]);
    }
  }
  if (bits > 0) out.push_back(kB64[(acc << (6 - bits)) & 0x3F]);
  out.push_back('-');
}

// Decodes the base64 run s[begin, end) into UTF-8; `end` is at the '-'.
Status DecodeShift(std::string_view s, size_t begin, size_t end, std::string& out) {
  uint32_t acc = 0;
  int bits = 0;
  uint32_t high = 0;  // pending high surrogate
  for (size_t i = begin; i < end; ++i) {
    int v = B64Value(s[i]);
    if (v < 0) return Bad(i, "invalid base64 character");
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits < 16) continue;
    bits -= 16;
    uint32_t u = (acc >> bits) & 0xFFFF;
    acc &= (1u << bits) - 1;
    if (high != 0) {
      if (u < 0xDC00 || u > 0xDFFF) return Bad(i, "high surrogate without low surrogate");
      AppendUtf8(out, 0x10000 + ((high - 0xD800) << 10) + (u - 0xDC00));
      high = 0;
    } else if (u >= 0xD800 && u <= 0xDBFF) {
      high = u;
    } else if (u >= 0xDC00 && u <= 0xDFFF) {
      return Bad(i, "unpaired low surrogate");
    } else if (IsDirect(u) || u == 0) {
      return Bad(i, "character must not be base64-encoded");
    } else {
      AppendUtf8(out, u);
    }
  }
  if (high != 0) return Bad(end, "unterminated surrogate pair");
  if (bits >= 6) return Bad(end, "extra base64 character");
  if (acc != 0) return Bad(end, "non-zero padding bits");
  return Status::Ok();
}

}  // namespace

Result<std::string> Utf8ToMutf7(std::string_view utf8) {
  if (utf8.size() > kMaxMutf7Input) return Status::InvalidArgument("modified UTF-7: input too long");
  if (!IsValidUtf8(utf8)) return Status::InvalidArgument("modified UTF-7: input is not UTF-8");
  std::string out;
  std::vector<uint16_t> units;
  size_t i = 0;
  while (i < utf8.size()) {
    uint32_t cp = NextCodePoint(utf8, i);
    if (cp == 0) return Status::InvalidArgument("modified UTF-7: NUL in input");
    if (IsDirect(cp)) {
      if (!units.empty()) {
        FlushShift(out, units);
        units.clear();
      }
      out += cp == '&' ? std::string_view("&-") : std::string_view(utf8.data() + i - 1, 1);
      continue;
    }
    if (cp >= 0x10000) {
      units.push_back(static_cast<uint16_t>(0xD800 + ((cp - 0x10000) >> 10)));
      units.push_back(static_cast<uint16_t>(0xDC00 + ((cp - 0x10000) & 0x3FF)));
    } else {
      units.push_back(static_cast<uint16_t>(cp));
    }
  }
  if (!units.empty()) FlushShift(out, units);
  return out;
}

Result<std::string> Mutf7ToUtf8(std::string_view s) {
  if (s.size() > kMaxMutf7Input) return Status::InvalidArgument("modified UTF-7: input too long");
  std::string out;
  bool prev_was_shift = false;
  size_t i = 0;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    if (!IsDirect(c)) return Bad(i, "byte outside printable US-ASCII");
    if (c != '&') {
      out.push_back(static_cast<char>(c));
      prev_was_shift = false;
      ++i;
      continue;
    }
    size_t end = s.find('-', i + 1);
    if (end == std::string_view::npos) return Bad(i, "unterminated shift");
    if (end == i + 1) {
      out.push_back('&');  // "&-" is a literal '&'
      prev_was_shift = false;
    } else {
      if (prev_was_shift) return Bad(i, "adjacent shifts must be merged");
      ROOST_RETURN_IF_ERROR(DecodeShift(s, i + 1, end, out));
      prev_was_shift = true;
    }
    i = end + 1;
  }
  return out;
}

}  // namespace roost::storage::maildir
