// MergeKeywordUpdates: the pure part of Courier's keyword load (spec §2.7),
// kept apart from the file formats in courier_keywords.cc.
#include <cstdint>
#include <iterator>
#include <map>
#include <optional>

#include "storage/maildir/courier_keywords.h"

namespace roost::storage::maildir {
namespace {

struct MessageUpdates {
  const KeywordUpdateFile* pending = nullptr;
  // Aged files by N, so the largest is last.
  std::map<uint64_t, const KeywordUpdateFile*> aged;
};

// Applies `file` as the message's full keyword set; returns whether the map
// changed.
Result<bool> Apply(const KeywordUpdateFile& file, const std::string& basename, KeywordMap& map) {
  auto parsed = ParseKeywordUpdate(file.content);
  if (!parsed) return parsed.error().WithContext("courierimapkeywords/" + file.name);
  auto it = map.find(basename);
  if (parsed->empty()) {
    if (it == map.end()) return false;
    map.erase(it);
    return true;
  }
  if (it != map.end() && it->second == *parsed) return false;
  map[basename] = std::move(*parsed);
  return true;
}

// Housekeeping for one message's files (spec §2.7).
void PlanFiles(const std::string& basename, const MessageUpdates& u, uint64_t tick,
               KeywordMergeResult& out) {
  if (u.pending != nullptr) {
    out.renames.emplace_back(u.pending->name, AgedKeywordFileName(tick + 1, basename));
  }
  if (u.aged.empty()) return;
  // Old aged files (N < T) other than the newest of them are superseded.
  auto old_end = u.aged.lower_bound(tick);
  if (old_end != u.aged.begin()) {
    auto newest_old = std::prev(old_end);
    for (auto it = u.aged.begin(); it != newest_old; ++it) out.deletes.push_back(it->second->name);
  }
  // A message's only file, when old, was merged into :list long ago.
  if (u.pending == nullptr && u.aged.size() == 1 && u.aged.begin()->first < tick) {
    out.deletes.push_back(u.aged.begin()->second->name);
  }
}

}  // namespace

Result<KeywordMergeResult> MergeKeywordUpdates(std::string_view list_content,
                                               const std::vector<KeywordUpdateFile>& updates,
                                               uint64_t tick) {
  ROOST_ASSIGN_OR_RETURN(auto list, ParseKeywordList(list_content));
  KeywordMergeResult out;
  out.keywords = KeywordMapFromList(list);
  out.list_changed = list.dropped != 0;

  std::map<std::string, MessageUpdates, std::less<>> by_message;
  for (const auto& file : updates) {
    KeywordFileName kind = ClassifyKeywordFile(file.name);
    if (kind.kind != KeywordFileName::Kind::kPending && kind.kind != KeywordFileName::Kind::kAged) {
      continue;
    }
    if (!file.message_exists) {
      // The message is gone (expunged or moved); drop its update once no
      // concurrent writer can still be racing with the expunge.
      if (file.stale) out.deletes.push_back(file.name);
      continue;
    }
    auto& slot = by_message[std::string(kind.basename)];
    if (kind.kind == KeywordFileName::Kind::kPending) {
      slot.pending = &file;
    } else {
      slot.aged[kind.n] = &file;
    }
  }
  for (const auto& [basename, u] : by_message) {
    const KeywordUpdateFile* newest =
        u.pending != nullptr ? u.pending : u.aged.rbegin()->second;
    ROOST_ASSIGN_OR_RETURN(bool changed, Apply(*newest, basename, out.keywords));
    out.list_changed = out.list_changed || changed;
    PlanFiles(basename, u, tick, out);
  }
  return out;
}

}  // namespace roost::storage::maildir
