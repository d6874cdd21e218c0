#include "storage/mime/address.h"

#include <string>

namespace roost::storage::mime {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

bool IsAtomChar(char c) {
  unsigned char u = static_cast<unsigned char>(c);
  if (u >= 128) return true;  // 8-bit text: RFC 6532 or broken, keep it
  if (u <= 32 || u == 127) return false;
  switch (c) {
    case '(':
    case ')':
    case '<':
    case '>':
    case '[':
    case ']':
    case ':':
    case ';':
    case '@':
    case '\\':
    case ',':
    case '.':
    case '"':
      return false;
    default:
      return true;
  }
}

// Words gathered before the next special: a phrase (display name) or a
// local part, depending on what follows.
struct Words {
  std::string phrase;  // words joined by single spaces
  std::string local;   // words joined as written, without spaces
  std::string last;    // the last word, for "Name user@host"
  std::string phrase_before_last;
  bool spaced = false;  // whitespace separated two words
  bool any = false;
};

class Parser {
 public:
  Parser(std::string_view s, size_t max) : s_(s), max_(max) {}

  AddressList Run() {
    while (pos_ < s_.size() && !Full()) ParseOne(false);
    if (pos_ < s_.size() && Full()) list_.truncated = true;
    return std::move(list_);
  }
  size_t pos() const { return pos_; }

 private:
  bool Full() const { return list_.addresses.size() >= max_; }
  bool AtEnd() const { return pos_ >= s_.size(); }
  char Peek() const { return s_[pos_]; }

  // RFC 5322 §3.2.2 CFWS; the text of the last comment is kept as a
  // fallback display name.
  void SkipCfws() {
    while (!AtEnd()) {
      if (IsSpace(Peek())) {
        ++pos_;
      } else if (Peek() == '(') {
        ReadComment();
      } else {
        return;
      }
    }
  }

  void ReadComment() {
    int depth = 0;
    std::string text;
    while (!AtEnd()) {
      char c = s_[pos_++];
      if (c == '\\' && !AtEnd()) {
        text.push_back(s_[pos_++]);
        continue;
      }
      if (c == '(' && depth++ == 0) continue;
      if (c == ')' && --depth == 0) break;
      text.push_back(c);
    }
    comment_ = std::move(text);
  }

  std::string ReadQuoted() {
    std::string text;
    ++pos_;  // opening quote
    while (!AtEnd()) {
      char c = s_[pos_++];
      if (c == '"') break;
      if (c == '\\' && !AtEnd()) c = s_[pos_++];
      if (c == '\r' || c == '\n') continue;  // folding inside quotes
      text.push_back(c);
    }
    return text;
  }

  std::string ReadAtom() {
    size_t start = pos_;
    while (!AtEnd() && IsAtomChar(Peek())) ++pos_;
    return std::string(s_.substr(start, pos_ - start));
  }

  void AddWord(Words* w, const std::string& word, bool dot, bool space_before) {
    if (!dot) {
      if (w->any && space_before && !w->local.empty() && w->local.back() != '.') w->spaced = true;
      w->phrase_before_last = w->phrase;
      w->last = word;
    } else {
      w->last.clear();
    }
    if (!w->phrase.empty() && space_before) w->phrase.push_back(' ');
    w->phrase.append(word);
    w->local.append(word);
    w->any = true;
  }

  Words ReadWords() {
    Words w;
    while (true) {
      size_t before = pos_;
      SkipCfws();
      if (AtEnd()) break;
      bool space_before = pos_ != before;
      char c = Peek();
      if (c == '"') {
        AddWord(&w, ReadQuoted(), false, space_before);
      } else if (c == '.') {
        ++pos_;
        AddWord(&w, ".", true, space_before);
      } else if (IsAtomChar(c)) {
        AddWord(&w, ReadAtom(), false, space_before);
      } else {
        break;
      }
    }
    return w;
  }

  // domain = dot-atom / domain-literal (RFC 5322 §3.4.1), read leniently.
  std::string ReadDomain() {
    std::string d;
    while (true) {
      SkipCfws();
      if (AtEnd()) break;
      char c = Peek();
      if (c == '[') {
        size_t end = s_.find(']', pos_);
        end = end == std::string_view::npos ? s_.size() : end + 1;
        d.append(s_.substr(pos_, end - pos_));
        pos_ = end;
      } else if (c == '.') {
        d.push_back('.');
        ++pos_;
      } else if (IsAtomChar(c)) {
        d.append(ReadAtom());
      } else {
        break;
      }
    }
    return d;
  }

  void Emit(Address a) {
    if (!Full()) list_.addresses.push_back(std::move(a));
  }

  void ParseAngle(std::string name) {
    ++pos_;  // '<'
    Address a;
    a.name = std::move(name);
    SkipCfws();
    // obs-route (RFC 5322 §4.4): "@a,@b:"
    while (!AtEnd() && (Peek() == '@' || Peek() == ',')) {
      if (Peek() == ',') {
        ++pos_;
        SkipCfws();
        continue;
      }
      ++pos_;
      if (!a.adl.empty()) a.adl.push_back(',');
      a.adl.append("@").append(ReadDomain());
      if (!AtEnd() && Peek() == ':') {
        ++pos_;
        break;
      }
    }
    Words local = ReadWords();
    a.mailbox = local.local;
    if (!AtEnd() && Peek() == '@') {
      ++pos_;
      a.host = ReadDomain();
    }
    SkipCfws();
    if (!AtEnd() && Peek() == '>') ++pos_;
    if (!a.mailbox.empty() || !a.host.empty() || !a.name.empty()) Emit(std::move(a));
  }

  void ParseAddrSpec(Words words) {
    ++pos_;  // '@'
    Address a;
    if (words.spaced && !words.last.empty()) {
      // "Name user@host": missing angle brackets.
      a.name = words.phrase_before_last;
      a.mailbox = words.last;
    } else {
      a.mailbox = words.local;
    }
    comment_.clear();
    a.host = ReadDomain();
    SkipCfws();
    if (a.name.empty() && !comment_.empty()) a.name = comment_;
    Emit(std::move(a));
  }

  void ParseGroup(std::string name) {
    ++pos_;  // ':'
    Address start;
    start.kind = Address::Kind::kGroupStart;
    start.mailbox = std::move(name);
    Emit(std::move(start));
    while (!AtEnd() && !Full()) {
      SkipCfws();
      if (!AtEnd() && Peek() == ';') {
        ++pos_;
        break;
      }
      ParseOne(true);
    }
    // The end marker is kept even past the cap, so groups stay balanced.
    Address end;
    end.kind = Address::Kind::kGroupEnd;
    list_.addresses.push_back(std::move(end));
  }

  // One address, or one group when !in_group. Always consumes input unless
  // at a ';' that closes the enclosing group.
  void ParseOne(bool in_group) {
    comment_.clear();
    Words words = ReadWords();
    if (AtEnd()) {
      if (words.any) EmitBare(words);
      return;
    }
    char c = Peek();
    if (c == '<') {
      ParseAngle(words.phrase);
    } else if (c == ':' && !in_group) {
      ParseGroup(words.phrase);
    } else if (c == '@') {
      ParseAddrSpec(std::move(words));
    } else if (c == ',' || c == ';') {
      if (words.any) EmitBare(words);
      if (c == ',' || !in_group) ++pos_;
      return;
    } else {
      ++pos_;  // stray special such as '>' or ':': skip it
      if (words.any) EmitBare(words);
      return;
    }
    SkipToSeparator(in_group);
  }

  // An address without '@' ("undisclosed-recipients", "postmaster").
  void EmitBare(const Words& words) {
    Address a;
    a.mailbox = words.local;
    if (!comment_.empty()) a.name = comment_;
    Emit(std::move(a));
  }

  // Junk after an address up to the next ',' (or the group's ';').
  void SkipToSeparator(bool in_group) {
    while (!AtEnd()) {
      char c = Peek();
      if (c == ',') {
        ++pos_;
        return;
      }
      if (c == ';' && in_group) return;
      if (c == '"') {
        ReadQuoted();
      } else if (c == '(') {
        ReadComment();
      } else {
        ++pos_;
      }
    }
  }

  std::string_view s_;
  size_t max_;
  size_t pos_ = 0;
  std::string comment_;
  AddressList list_;
};

}  // namespace

AddressList ParseAddressList(std::string_view value, size_t max_addresses, uint64_t* steps) {
  Parser p(value, max_addresses);
  AddressList list = p.Run();
  if (steps) *steps = p.pos();
  return list;
}

}  // namespace roost::storage::mime
