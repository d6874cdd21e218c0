#include "storage/maildir/courier_keywords.h"

#include <algorithm>

namespace roost::storage::maildir {
namespace {

constexpr std::string_view kWhat = "courierimapkeywords/:list";

// Returns false if the whole line is unusable.
bool ParseEntry(std::string_view line, size_t name_count, KeywordListFile& out) {
  size_t colon = line.find(':');
  if (colon == std::string_view::npos || colon == 0) return false;
  std::string_view base = line.substr(0, colon);
  if (base.find_first_of(std::string_view("/\0", 2)) != std::string_view::npos) return false;
  KeywordListFile::Entry entry{std::string(base), {}};
  std::string_view rest = line.substr(colon + 1);
  while (!rest.empty()) {
    size_t sp = rest.find(' ');
    std::string_view tok = rest.substr(0, sp);
    rest = sp == std::string_view::npos ? std::string_view() : rest.substr(sp + 1);
    if (tok.empty()) continue;  // tolerate doubled spaces
    auto idx = ParseU32(tok);
    if (!idx || *idx >= name_count) {
      ++out.dropped;
      continue;
    }
    entry.indexes.push_back(*idx);
  }
  out.entries.push_back(std::move(entry));
  return true;
}

}  // namespace

Result<KeywordListFile> ParseKeywordList(std::string_view data, size_t max_entries) {
  ROOST_ASSIGN_OR_RETURN(auto lines, SplitLines(data, kWhat, kMaxSideFileLine, max_entries));
  KeywordListFile out;
  size_t i = 0;
  for (; i < lines.size() && !lines[i].empty(); ++i) out.names.emplace_back(lines[i]);
  if (i < lines.size()) ++i;  // the blank separator line
  for (; i < lines.size(); ++i) {
    if (lines[i].empty()) continue;
    if (!ParseEntry(lines[i], out.names.size(), out)) ++out.dropped;
  }
  return out;
}

std::string FormatKeywordList(const KeywordListFile& list) {
  if (list.names.empty() && list.entries.empty()) return std::string();
  std::string out;
  for (const auto& n : list.names) {
    out += n;
    out += '\n';
  }
  out += '\n';
  for (const auto& e : list.entries) {
    out += e.basename;
    out += ':';
    for (size_t k = 0; k < e.indexes.size(); ++k) {
      if (k != 0) out += ' ';
      out += std::to_string(e.indexes[k]);
    }
    out += '\n';
  }
  return out;
}

KeywordMap KeywordMapFromList(const KeywordListFile& list) {
  KeywordMap map;
  for (const auto& e : list.entries) {
    std::set<std::string> kws;
    for (uint32_t idx : e.indexes) {
      if (idx < list.names.size()) kws.insert(list.names[idx]);
    }
    if (kws.empty()) continue;
    auto& slot = map[e.basename];
    slot.insert(kws.begin(), kws.end());
  }
  return map;
}

KeywordListFile KeywordListFromMap(const KeywordMap& map) {
  KeywordListFile out;
  std::set<std::string_view> used;
  for (const auto& [base, kws] : map) used.insert(kws.begin(), kws.end());
  std::map<std::string_view, uint32_t> index;
  for (std::string_view name : used) {
    index.emplace(name, static_cast<uint32_t>(out.names.size()));
    out.names.emplace_back(name);
  }
  for (const auto& [base, kws] : map) {
    if (kws.empty()) continue;
    KeywordListFile::Entry e{base, {}};
    for (const auto& k : kws) e.indexes.push_back(index.at(k));
    std::sort(e.indexes.begin(), e.indexes.end());
    out.entries.push_back(std::move(e));
  }
  return out;
}

Result<std::set<std::string>> ParseKeywordUpdate(std::string_view content, size_t max_keywords) {
  ROOST_ASSIGN_OR_RETURN(auto lines,
                         SplitLines(content, "keyword update", kMaxSideFileLine, max_keywords));
  std::set<std::string> out;
  for (std::string_view line : lines) {
    if (line.empty()) break;
    out.emplace(line);
  }
  return out;
}

std::string FormatKeywordUpdate(const std::set<std::string>& keywords) {
  std::string out;
  for (const auto& k : keywords) {
    out += k;
    out += '\n';
  }
  return out;
}

std::string SanitizeImapKeyword(std::string_view name) {
  static constexpr std::string_view kForbidden = " (){%*\"\\]";
  std::string out(name);
  for (char& c : out) {
    auto u = static_cast<unsigned char>(c);
    if (kForbidden.find(c) != std::string_view::npos || u < 0x20 || u == 0x7F) c = '_';
  }
  return out;
}

KeywordFileName ClassifyKeywordFile(std::string_view name) {
  KeywordFileName out;
  if (name == ":list") {
    out.kind = KeywordFileName::Kind::kList;
    return out;
  }
  if (name.empty() || name.front() == ':' || name == "." || name == "..") return out;
  // Not a name we could have written; '\n' would also corrupt :list.
  if (name.find_first_of(std::string_view("/\n\0", 3)) != std::string_view::npos) return out;
  if (name.front() != '.') {
    out.kind = KeywordFileName::Kind::kPending;
    out.basename = name;
    return out;
  }
  size_t dot = name.find('.', 1);
  if (dot == std::string_view::npos || dot + 1 >= name.size()) return out;
  auto n = ParseU64(name.substr(1, dot - 1));
  if (!n || *n == 0) return out;
  out.kind = KeywordFileName::Kind::kAged;
  out.n = *n;
  out.basename = name.substr(dot + 1);
  return out;
}

std::string AgedKeywordFileName(uint64_t n, std::string_view basename) {
  std::string out = "." + std::to_string(n) + ".";
  out += basename;
  return out;
}

}  // namespace roost::storage::maildir
