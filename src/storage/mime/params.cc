#include "storage/mime/params.h"

#include <algorithm>
#include <unordered_map>
#include <vector>

#include "storage/mime/charset.h"

namespace roost::storage::mime {
namespace {

// RFC 2231 sections beyond this number are ignored: no real value needs
// thousands of continuations.
constexpr int kMaxSection = 999;

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

bool IsTokenChar(char c) {
  unsigned char u = static_cast<unsigned char>(c);
  if (u <= 32 || u == 127) return false;
  return std::string_view("()<>@,;:\\\"/[]?=").find(c) == std::string_view::npos;
}

struct RawParam {
  std::string name;  // lowercased, with RFC 2231 suffixes
  std::string value;
};

class Scanner {
 public:
  explicit Scanner(std::string_view s) : s_(s) {}
  bool AtEnd() const { return pos_ >= s_.size(); }
  char Peek() const { return s_[pos_]; }
  size_t pos() const { return pos_; }
  void Advance() { ++pos_; }

  void SkipCfws() {
    while (!AtEnd()) {
      if (IsSpace(Peek())) {
        ++pos_;
      } else if (Peek() == '(') {
        int depth = 0;
        while (!AtEnd()) {
          char c = s_[pos_++];
          if (c == '\\' && !AtEnd())
            ++pos_;
          else if (c == '(')
            ++depth;
          else if (c == ')' && --depth == 0)
            break;
        }
      } else {
        return;
      }
    }
  }

  std::string Token() {
    size_t start = pos_;
    while (!AtEnd() && IsTokenChar(Peek())) ++pos_;
    return AsciiLowercase(s_.substr(start, pos_ - start));
  }

  // Up to (not including) `stop` chars; raw text, trimmed.
  std::string_view Until(std::string_view stop) {
    size_t start = pos_;
    while (!AtEnd() && stop.find(Peek()) == std::string_view::npos) ++pos_;
    std::string_view v = s_.substr(start, pos_ - start);
    while (!v.empty() && IsSpace(v.back())) v.remove_suffix(1);
    return v;
  }

  std::string Quoted() {
    std::string v;
    ++pos_;
    while (!AtEnd()) {
      char c = s_[pos_++];
      if (c == '"') break;
      if (c == '\\' && !AtEnd()) c = s_[pos_++];
      if (c == '\r' || c == '\n') continue;
      v.push_back(c);
    }
    return v;
  }

 private:
  std::string_view s_;
  size_t pos_ = 0;
};

// Unquoted value: everything up to ';', minus a trailing "(comment)".
std::string UnquotedValue(Scanner* sc) {
  std::string_view v = sc->Until(";");
  size_t c = v.find(" (");
  if (c == std::string_view::npos) c = v.find("\t(");
  if (c != std::string_view::npos) v = v.substr(0, c);
  while (!v.empty() && IsSpace(v.back())) v.remove_suffix(1);
  return std::string(v);
}

int Hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  c = AsciiLower(c);
  return (c >= 'a' && c <= 'f') ? c - 'a' + 10 : -1;
}

void PercentDecode(std::string_view v, std::string* out) {
  for (size_t i = 0; i < v.size(); ++i) {
    if (v[i] == '%' && i + 2 < v.size() && Hex(v[i + 1]) >= 0 && Hex(v[i + 2]) >= 0) {
      out->push_back(static_cast<char>(Hex(v[i + 1]) * 16 + Hex(v[i + 2])));
      i += 2;
    } else {
      out->push_back(v[i]);
    }
  }
}

// name -> base, section (-1 for none), extended.
void SplitName(const std::string& name, std::string* base, int* section, bool* extended) {
  *base = name;
  *section = -1;
  *extended = false;
  size_t star = name.find('*');
  if (star == std::string::npos || star == 0) return;
  // What follows the name: "*" (extended), "*N" (section), "*N*" (both).
  std::string_view rest = std::string_view(name).substr(star + 1);
  bool ext = rest.empty();
  if (!rest.empty() && rest.back() == '*') {
    ext = true;
    rest.remove_suffix(1);
  }
  int sec = -1;
  if (!rest.empty()) {
    bool digits = std::all_of(rest.begin(), rest.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (rest.size() > 3 || !digits) {
      return;  // not RFC 2231 syntax: keep the name as written
    }
    sec = std::stoi(std::string(rest));
  }
  *base = name.substr(0, star);
  *section = sec;
  *extended = ext;
}

struct Group {
  std::string base;
  const RawParam* plain = nullptr;
  const RawParam* star = nullptr;  // name*=
  std::vector<std::pair<int, std::pair<const RawParam*, bool>>> sections;
};

// "charset'language'text" (RFC 2231 §4).
void SplitCharset(std::string_view v, Param* p, std::string_view* text) {
  size_t q1 = v.find('\'');
  size_t q2 = q1 == std::string_view::npos ? q1 : v.find('\'', q1 + 1);
  if (q2 == std::string_view::npos) {
    *text = v;
    return;
  }
  p->charset = AsciiLowercase(v.substr(0, q1));
  p->language = std::string(v.substr(q1 + 1, q2 - q1 - 1));
  *text = v.substr(q2 + 1);
}

Param JoinGroup(Group& g) {
  Param p;
  p.name = g.base;
  std::string bytes;
  if (g.star) {
    std::string_view text;
    SplitCharset(g.star->value, &p, &text);
    PercentDecode(text, &bytes);
    p.extended = true;
  } else if (!g.sections.empty()) {
    std::stable_sort(g.sections.begin(), g.sections.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    int expect = 0;
    for (const auto& [sec, entry] : g.sections) {
      if (sec != expect) {
        if (sec < expect) continue;  // duplicate section
        break;                       // gap: RFC 2231 §3 says stop
      }
      ++expect;
      std::string_view text = entry.first->value;
      if (entry.second) {
        if (sec == 0) SplitCharset(text, &p, &text);
        PercentDecode(text, &bytes);
        p.extended = true;
      } else {
        bytes.append(text);
      }
    }
  } else {
    p.value = g.plain->value;
    return p;
  }
  if (p.extended && !p.charset.empty()) {
    ConvertToUtf8(p.charset, bytes, &p.value);
  } else {
    p.value = std::move(bytes);
  }
  return p;
}

std::vector<RawParam> ReadRaw(std::string_view s, const MimeLimits& limits, bool* truncated,
                              uint64_t* steps) {
  std::vector<RawParam> raw;
  Scanner sc(s);
  while (true) {
    sc.SkipCfws();
    if (sc.AtEnd()) break;
    if (raw.size() >= limits.max_raw_params) {
      *truncated = true;
      break;
    }
    if (sc.Peek() == ';') {
      sc.Advance();
      continue;
    }
    size_t before = sc.pos();
    std::string name = AsciiLowercase(sc.Until("=;"));
    if (sc.AtEnd() || sc.Peek() == ';') {
      if (sc.pos() == before) sc.Advance();
      continue;  // "name" without a value: ignored
    }
    sc.Advance();  // '='
    sc.SkipCfws();
    std::string value = (!sc.AtEnd() && sc.Peek() == '"') ? sc.Quoted() : UnquotedValue(&sc);
    sc.Until(";");  // junk after a quoted value
    if (!name.empty()) raw.push_back({std::move(name), std::move(value)});
  }
  if (steps) *steps += sc.pos();
  return raw;
}

}  // namespace

ParamList ParseParams(std::string_view s, const MimeLimits& limits, uint64_t* steps) {
  ParamList out;
  std::vector<RawParam> raw = ReadRaw(s, limits, &out.truncated, steps);
  std::vector<Group> groups;
  std::unordered_map<std::string, size_t> index;
  for (const RawParam& r : raw) {
    std::string base;
    int section;
    bool extended;
    SplitName(r.name, &base, &section, &extended);
    auto [it, inserted] = index.emplace(base, groups.size());
    if (inserted) groups.push_back(Group{base, nullptr, nullptr, {}});
    Group& g = groups[it->second];
    if (section >= 0 && section <= kMaxSection) {
      g.sections.push_back({section, {&r, extended}});
    } else if (section < 0 && extended) {
      if (!g.star) g.star = &r;
    } else if (section < 0 && !g.plain) {
      g.plain = &r;
    }
  }
  for (Group& g : groups) {
    if (!g.star && g.sections.empty() && !g.plain) continue;
    if (out.params.size() >= limits.max_params) {
      out.truncated = true;
      break;
    }
    out.params.push_back(JoinGroup(g));
  }
  return out;
}

ContentType ParseContentType(std::string_view value, const MimeLimits& limits, uint64_t* steps) {
  ContentType ct;
  Scanner sc(value);
  sc.SkipCfws();
  std::string type = sc.Token();
  sc.SkipCfws();
  if (!sc.AtEnd() && sc.Peek() == '/') {
    sc.Advance();
    sc.SkipCfws();
    std::string subtype = sc.Token();
    if (!type.empty() && !subtype.empty()) {
      ct.type = std::move(type);
      ct.subtype = std::move(subtype);
    }
  }
  if (steps) *steps += sc.pos();
  size_t semi = value.find(';', sc.pos());
  if (semi != std::string_view::npos) ct.params = ParseParams(value.substr(semi), limits, steps);
  return ct;
}

ContentDisposition ParseContentDisposition(std::string_view value, const MimeLimits& limits,
                                           uint64_t* steps) {
  ContentDisposition cd;
  Scanner sc(value);
  sc.SkipCfws();
  cd.value = sc.Token();
  if (steps) *steps += sc.pos();
  size_t semi = value.find(';', sc.pos());
  if (semi != std::string_view::npos) cd.params = ParseParams(value.substr(semi), limits, steps);
  return cd;
}

}  // namespace roost::storage::mime
