#include "storage/maildir/dovecot_keywords.h"

#include <cassert>

#include "storage/maildir/codec_util.h"

namespace roost::storage::maildir {
namespace {
constexpr std::string_view kWhat = "dovecot-keywords";
}  // namespace

Result<DovecotKeywords> ParseDovecotKeywords(std::string_view data) {
  ROOST_ASSIGN_OR_RETURN(auto lines, SplitLines(data, kWhat, kMaxSideFileLine, kDovecotKeywordsMaxLines));
  DovecotKeywords out;
  for (size_t i = 0; i < lines.size(); ++i) {
    auto f = SplitFields(lines[i], 2);
    if (f.size() != 2) return LineError(kWhat, i + 1, "expected '<idx> <name>'");
    auto idx = ParseU64(f[0]);
    if (!idx) return LineError(kWhat, i + 1, "bad index");
    if (f[1].empty()) return LineError(kWhat, i + 1, "empty keyword");
    if (*idx >= kDovecotMaxKeywords) continue;
    if (!out.names[*idx].empty()) return LineError(kWhat, i + 1, "duplicate index");
    out.names[*idx] = std::string(f[1]);
  }
  return out;
}

std::string FormatDovecotKeywords(const DovecotKeywords& keywords) {
  std::string out;
  for (size_t i = 0; i < kDovecotMaxKeywords; ++i) {
    if (keywords.names[i].empty()) continue;
    out += std::to_string(i);
    out += ' ';
    out += keywords.names[i];
    out += '\n';
  }
  return out;
}

std::optional<size_t> KeywordIndexFromLetter(char letter) {
  if (letter < 'a' || letter > 'z') return std::nullopt;
  return static_cast<size_t>(letter - 'a');
}

char LetterFromKeywordIndex(size_t index) {
  assert(index < kDovecotMaxKeywords);
  return static_cast<char>('a' + index);
}

std::vector<std::string> KeywordsFromFlagLetters(std::string_view letters,
                                                 const DovecotKeywords& keywords) {
  std::vector<std::string> out;
  for (char c : letters) {
    auto idx = KeywordIndexFromLetter(c);
    if (idx && !keywords.names[*idx].empty()) out.push_back(keywords.names[*idx]);
  }
  return out;
}

}  // namespace roost::storage::maildir
