#include "storage/mem/mem_folder.h"

#include <algorithm>

#include <fmt/format.h>

#include "base/ascii.h"

namespace roost::storage::mem {
MemFolder::MemFolder(std::string folder_name, Uid validity, SpecialUse use)
    : name(std::move(folder_name)), special_use(use), uid_validity(validity) {}

std::optional<unsigned> MemFolder::FindKeyword(std::string_view keyword) const {
  for (unsigned i = 0; i < keywords.size(); ++i) {
    if (AsciiEqualsIgnoreCase(keywords[i], keyword)) return i;
  }
  return std::nullopt;
}

unsigned MemFolder::CountNewKeywords(const std::vector<std::string>& names) const {
  std::vector<std::string_view> fresh;
  for (const auto& n : names) {
    if (FindKeyword(n)) continue;
    bool seen = std::any_of(fresh.begin(), fresh.end(), [&](std::string_view f) { return AsciiEqualsIgnoreCase(f, n); });
    if (!seen) fresh.push_back(n);
  }
  return static_cast<unsigned>(fresh.size());
}

Result<uint64_t> MemFolder::InternKeywords(const std::vector<std::string>& names) {
  if (keywords.size() + CountNewKeywords(names) > kMaxKeywords) {
    return Status::Mail(MailError::kLimit, fmt::format("{}: more than {} keywords", name, kMaxKeywords));
  }
  uint64_t mask = 0;
  for (const auto& n : names) {
    auto id = FindKeyword(n);
    if (!id) {
      id = static_cast<unsigned>(keywords.size());
      keywords.push_back(n);
    }
    mask |= uint64_t{1} << *id;
  }
  return mask;
}

std::vector<std::string> MemFolder::KeywordNames(uint64_t mask) const {
  std::vector<std::string> out;
  for (unsigned i = 0; i < keywords.size(); ++i) {
    if (mask & (uint64_t{1} << i)) out.push_back(keywords[i]);
  }
  return out;
}

Uid MemFolder::Add(MemMessage message) {
  message.uid = uid_next++;
  Uid uid = message.uid;
  messages.emplace(uid, std::move(message));
  return uid;
}

void MemFolder::Expunge(Uid uid, ModSeq modseq) {
  if (messages.erase(uid) > 0) expunge_log.emplace_back(uid, modseq);
}

MailboxCounters MemFolder::Counters() const {
  MailboxCounters c;
  c.uid_validity = uid_validity;
  c.uid_next = uid_next;
  c.highest_modseq = highest_modseq;
  SeqNum seq = 0;
  for (const auto& [uid, m] : messages) {
    ++seq;
    ++c.messages;
    c.size += m.data->size();
    if (m.recent) ++c.recent;
    if (m.flags.system & kFlagDeleted) ++c.deleted;
    if (!(m.flags.system & kFlagSeen)) {
      ++c.unseen;
      if (c.first_unseen == 0) c.first_unseen = seq;
    }
  }
  return c;
}

std::shared_ptr<MemFolder> MemState::Find(std::string_view canonical_name) const {
  auto it = folders.find(std::string(canonical_name));
  return it == folders.end() ? nullptr : it->second;
}

std::shared_ptr<MemFolder> MemState::Make(const std::string& canonical_name, SpecialUse use) {
  auto folder = std::make_shared<MemFolder>(canonical_name, next_uid_validity++, use);
  folders[canonical_name] = folder;
  return folder;
}

void MemState::AssignObjectIds(MemMessage& message) {
  uint64_t id = next_object_id++;
  message.email_id = fmt::format("M{:016x}", id);
  message.thread_id = fmt::format("T{:016x}", id);  // no threading: one per message
}

std::string CanonicalName(std::string_view name) {
  constexpr std::string_view kInbox = "INBOX";
  if (name.size() >= kInbox.size() && AsciiEqualsIgnoreCase(name.substr(0, kInbox.size()), kInbox) &&
      (name.size() == kInbox.size() || name[kInbox.size()] == '.')) {
    return std::string(kInbox) + std::string(name.substr(kInbox.size()));
  }
  return std::string(name);
}

std::string ToCrlf(std::string_view data) {
  std::string out;
  out.reserve(data.size() + data.size() / 32);
  for (size_t i = 0; i < data.size(); ++i) {
    if (data[i] == '\n' && (i == 0 || data[i - 1] != '\r')) out += '\r';
    out += data[i];
  }
  return out;
}

}  // namespace roost::storage::mem
