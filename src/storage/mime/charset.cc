#include "storage/mime/charset.h"

#include <unicode/ucnv.h>

#include <cstdint>
#include <vector>

namespace roost::storage::mime {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

void AppendCodePoint(uint32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// Length of the valid UTF-8 sequence starting at s[i], or 0 (RFC 3629 §4).
size_t ValidSequenceLength(std::string_view s, size_t i) {
  auto b = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = b(i);
  size_t len;
  unsigned char lo = 0x80, hi = 0xBF;
  if (c < 0x80) return 1;
  if (c >= 0xC2 && c <= 0xDF) {
    len = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    len = 3;
    if (c == 0xE0) lo = 0xA0;
    if (c == 0xED) hi = 0x9F;  // no surrogates
  } else if (c >= 0xF0 && c <= 0xF4) {
    len = 4;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;
  } else {
    return 0;
  }
  if (i + len > s.size()) return 0;
  if (b(i + 1) < lo || b(i + 1) > hi) return 0;
  for (size_t k = 2; k < len; ++k) {
    if (b(i + k) < 0x80 || b(i + k) > 0xBF) return 0;
  }
  return len;
}

bool IsUtf8Name(std::string_view cs) {
  return cs == "utf-8" || cs == "utf8" || cs == "us-ascii" || cs == "ascii" || cs.empty();
}

bool IsLatin1Name(std::string_view cs) {
  return cs == "iso-8859-1" || cs == "latin1" || cs == "iso_8859-1" || cs == "l1";
}

// Charset names reach ICU only if they look like charset names, so a
// hostile header cannot feed ICU arbitrary or huge strings.
bool PlausibleCharsetName(std::string_view cs) {
  if (cs.empty() || cs.size() > 64) return false;
  for (char c : cs) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' ||
              c == ':' || c == '+';
    if (!ok) return false;
  }
  return true;
}

bool ConvertWithIcu(const std::string& charset, std::string_view bytes, std::string* out) {
  if (bytes.empty()) {
    UErrorCode err = U_ZERO_ERROR;
    UConverter* cnv = ucnv_open(charset.c_str(), &err);
    if (cnv) ucnv_close(cnv);
    return U_SUCCESS(err);
  }
  std::vector<char> target(bytes.size() * 4 + 16);
  for (int attempt = 0; attempt < 2; ++attempt) {
    UErrorCode err = U_ZERO_ERROR;
    int32_t n = ucnv_convert("UTF-8", charset.c_str(), target.data(), static_cast<int32_t>(target.size()),
                             bytes.data(), static_cast<int32_t>(bytes.size()), &err);
    if (err == U_BUFFER_OVERFLOW_ERROR && attempt == 0) {
      target.resize(static_cast<size_t>(n) + 16);
      continue;
    }
    if (U_FAILURE(err)) return false;
    out->append(target.data(), static_cast<size_t>(n));
    return true;
  }
  return false;
}

}  // namespace

void AppendValidUtf8(std::string_view bytes, std::string* out) {
  size_t i = 0;
  while (i < bytes.size()) {
    size_t len = ValidSequenceLength(bytes, i);
    if (len == 0) {
      out->append(kReplacement);
      ++i;
    } else {
      out->append(bytes.substr(i, len));
      i += len;
    }
  }
}

bool ConvertToUtf8(std::string_view charset, std::string_view bytes, std::string* out) {
  std::string cs = AsciiLowercase(charset.substr(0, charset.find('*')));
  while (!cs.empty() && (cs.back() == ' ' || cs.back() == '\t')) cs.pop_back();
  if (IsUtf8Name(cs)) {
    AppendValidUtf8(bytes, out);
    return true;
  }
  if (IsLatin1Name(cs)) {
    for (char c : bytes) AppendCodePoint(static_cast<unsigned char>(c), out);
    return true;
  }
  if (PlausibleCharsetName(cs) && ConvertWithIcu(cs, bytes, out)) return true;
  AppendValidUtf8(bytes, out);
  return false;
}

}  // namespace roost::storage::mime
