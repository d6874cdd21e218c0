#include "storage/mime/rfc2047.h"

#include "storage/mime/charset.h"
#include "storage/mime/transfer.h"

namespace roost::storage::mime {
namespace {

// RFC 2047 §2 caps an encoded-word at 75 characters; real mail exceeds
// that, so only the charset is bounded, to keep ICU lookups sane.
constexpr size_t kMaxCharsetName = 64;

struct EncodedWord {
  std::string_view charset;
  char encoding = 0;  // 'b' or 'q'
  std::string_view text;
  size_t end = 0;  // index just past "?="
};

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// Parses an encoded-word starting at s[pos] ("=?"). Scans at most up to the
// third '?' after pos, so repeated failed attempts stay linear overall.
bool ParseWord(std::string_view s, size_t pos, EncodedWord* w) {
  size_t cs_start = pos + 2;
  size_t q1 = cs_start;
  while (q1 < s.size() && s[q1] != '?' && !IsSpace(s[q1]) && q1 - cs_start <= kMaxCharsetName) ++q1;
  if (q1 >= s.size() || s[q1] != '?' || q1 == cs_start) return false;
  if (q1 + 2 >= s.size() || s[q1 + 2] != '?') return false;
  char enc = AsciiLower(s[q1 + 1]);
  if (enc != 'b' && enc != 'q') return false;
  size_t text_start = q1 + 3;
  size_t q3 = text_start;
  while (q3 < s.size() && s[q3] != '?' && !IsSpace(s[q3])) ++q3;
  if (q3 + 1 >= s.size() || s[q3] != '?' || s[q3 + 1] != '=') return false;
  w->charset = s.substr(cs_start, q1 - cs_start);
  w->encoding = enc;
  w->text = s.substr(text_start, q3 - text_start);
  w->end = q3 + 2;
  return true;
}

int Hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  c = AsciiLower(c);
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

// RFC 2047 §4.2: '_' is a space, =XX a byte; invalid escapes stay literal.
void DecodeQ(std::string_view t, std::string* out) {
  for (size_t i = 0; i < t.size(); ++i) {
    char c = t[i];
    if (c == '_') {
      out->push_back(' ');
    } else if (c == '=' && i + 2 < t.size() && Hex(t[i + 1]) >= 0 && Hex(t[i + 2]) >= 0) {
      out->push_back(static_cast<char>(Hex(t[i + 1]) * 16 + Hex(t[i + 2])));
      i += 2;
    } else {
      out->push_back(c);
    }
  }
}

// Decoded bytes of consecutive encoded-words in one charset, converted
// together when the run ends.
class Pending {
 public:
  void Add(const EncodedWord& w) {
    if (!bytes_.empty() && !AsciiEqualsIgnoreCase(charset_, w.charset)) Flush(nullptr);
    charset_.assign(w.charset);
    if (w.encoding == 'b') {
      Base64Decoder d;
      d.Feed(w.text, &bytes_);
      d.Finish(&bytes_);
    } else {
      DecodeQ(w.text, &bytes_);
    }
  }
  void Flush(std::string* out) {
    if (out) target_ = out;
    if (!bytes_.empty()) ConvertToUtf8(charset_, bytes_, target_);
    bytes_.clear();
  }
  void set_target(std::string* out) { target_ = out; }

 private:
  std::string charset_;
  std::string bytes_;
  std::string* target_ = nullptr;
};

}  // namespace

std::string DecodeRfc2047(std::string_view s) {
  std::string out;
  Pending pending;
  pending.set_target(&out);
  bool after_word = false;
  size_t i = 0;
  while (i < s.size()) {
    size_t next = s.find("=?", i);
    size_t text_end = next == std::string_view::npos ? s.size() : next;
    std::string_view text = s.substr(i, text_end - i);
    EncodedWord w;
    bool is_word = next != std::string_view::npos && ParseWord(s, next, &w);
    bool only_space = text.find_first_not_of(" \t\r\n") == std::string_view::npos;
    if (!(after_word && is_word && only_space)) {
      pending.Flush(&out);
      AppendValidUtf8(text, &out);
    }
    if (next == std::string_view::npos) break;
    if (is_word) {
      pending.Add(w);
      after_word = true;
      i = w.end;
    } else {
      pending.Flush(&out);
      out.append("=?");
      after_word = false;
      i = next + 2;
    }
  }
  pending.Flush(&out);
  return out;
}

}  // namespace roost::storage::mime
