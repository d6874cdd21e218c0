#include "storage/mem/mem_mailbox.h"

#include <algorithm>
#include <chrono>
#include <cstring>

#include <fmt/format.h>

#include "storage/mem/mem_search.h"
#include "storage/mem/mem_transaction.h"

namespace roost::storage::mem {
namespace {

// Reads one message at a time under the lock, so a paused FETCH holds
// nothing but its position. Messages expunged by others since the view's
// last Sync are skipped: their data is gone (RFC 9051 §7.5.1 lets the
// server omit them).
class MemFetchCursor final : public FetchCursor {
 public:
  MemFetchCursor(const MemMailbox& view, std::vector<std::pair<SeqNum, Uid>> items)
      : view_(view), items_(std::move(items)) {}

  Result<bool> Next(MessageMeta& out) override {
    std::lock_guard lock(view_.state().mu);
    while (pos_ < items_.size()) {
      auto [seq, uid] = items_[pos_++];
      auto it = view_.folder().messages.find(uid);
      if (it == view_.folder().messages.end()) continue;
      view_.FillMeta(it->second, seq, out);
      return true;
    }
    return false;
  }

 private:
  const MemMailbox& view_;
  std::vector<std::pair<SeqNum, Uid>> items_;
  size_t pos_ = 0;
};

// Owns a reference to the immutable bytes: valid after an expunge.
class MemMessageStream final : public MessageStream {
 public:
  explicit MemMessageStream(std::shared_ptr<const std::string> data) : data_(std::move(data)) {}
  uint64_t size() const override { return data_->size(); }
  Result<size_t> Read(uint64_t offset, std::span<char> out) override {
    if (offset >= data_->size()) return size_t{0};
    size_t n = std::min<uint64_t>(out.size(), data_->size() - offset);
    std::memcpy(out.data(), data_->data() + offset, n);
    return n;
  }

 private:
  std::shared_ptr<const std::string> data_;
};

}  // namespace

MemMailbox::MemMailbox(std::shared_ptr<MemState> state, std::shared_ptr<MemFolder> folder, bool read_only)
    : state_(std::move(state)), folder_(std::move(folder)), read_only_(read_only) {
  std::lock_guard lock(state_->mu);
  feed_ = folder_->feed;
  view_id_ = state_->next_view_id++;
  name_ = folder_->name;
  uid_validity_ = folder_->uid_validity;
  uids_.reserve(folder_->messages.size());
  for (auto& [uid, m] : folder_->messages) {
    uids_.push_back(uid);
    Claim(m);
  }
  synced_modseq_ = folder_->highest_modseq;
  synced_uid_next_ = folder_->uid_next;
  Refresh();
}

MemMailbox::~MemMailbox() {
  if (read_only_) return;
  std::lock_guard lock(state_->mu);
  for (auto& [uid, m] : folder_->messages) {
    if (m.recent_owner == view_id_) {
      m.recent = false;
      m.recent_owner = 0;
    }
  }
}

void MemMailbox::Claim(MemMessage& m) {
  if (!read_only_ && m.recent && m.recent_owner == 0) m.recent_owner = view_id_;
}

bool MemMailbox::IsRecent(const MemMessage& m) const {
  return read_only_ ? (m.recent && m.recent_owner == 0) : (m.recent && m.recent_owner == view_id_);
}

void MemMailbox::FillMeta(const MemMessage& m, SeqNum seq, MessageMeta& out) const {
  out.seq = seq;
  out.uid = m.uid;
  out.flags = m.flags;
  out.recent = IsRecent(m);
  out.modseq = m.modseq;
  out.size = m.data->size();
  out.internal_date = m.internal_date;
  out.internal_tz = m.internal_tz;
  out.save_date = m.save_date;
  out.email_id = m.email_id;
  out.thread_id = m.thread_id;
}

void MemMailbox::Refresh() {
  MailboxCounters c;
  c.uid_validity = uid_validity_;
  c.uid_next = synced_uid_next_;
  c.highest_modseq = synced_modseq_;
  c.messages = count();
  for (SeqNum seq = 1; seq <= uids_.size(); ++seq) {
    auto it = folder_->messages.find(uids_[seq - 1]);
    if (it == folder_->messages.end()) continue;
    const MemMessage& m = it->second;
    c.size += m.data->size();
    if (IsRecent(m)) ++c.recent;
    if (m.flags.system & kFlagDeleted) ++c.deleted;
    if (!(m.flags.system & kFlagSeen)) {
      ++c.unseen;
      if (c.first_unseen == 0) c.first_unseen = seq;
    }
  }
  counters_ = c;
  keywords_ = folder_->keywords;
}

Uid MemMailbox::UidAt(SeqNum seq) const { return seq == 0 || seq > uids_.size() ? 0 : uids_[seq - 1]; }

SeqNum MemMailbox::SeqOf(Uid uid) const {
  auto it = std::lower_bound(uids_.begin(), uids_.end(), uid);
  return it != uids_.end() && *it == uid ? static_cast<SeqNum>(it - uids_.begin() + 1) : 0;
}

Result<SyncResult> MemMailbox::Sync() {
  std::lock_guard lock(state_->mu);
  SyncResult r;
  if (folder_->deleted || folder_->uid_validity != uid_validity_) {
    r.uid_validity_changed = true;
    r.exists = count();
    return r;
  }
  // Expunges in ascending order: each reported number accounts for the
  // ones removed before it (2,3,5 of 6 -> EXPUNGE 2, 2, 3).
  std::vector<Uid> kept;
  kept.reserve(uids_.size());
  SeqNum removed = 0;
  for (SeqNum i = 0; i < uids_.size(); ++i) {
    Uid uid = uids_[i];
    if (folder_->messages.count(uid)) {
      kept.push_back(uid);
    } else {
      r.expunged.push_back(i + 1 - removed);
      r.vanished.Add(uid, uid);
      ++removed;
    }
  }
  for (SeqNum i = 0; i < kept.size(); ++i) {
    const MemMessage& m = folder_->messages.at(kept[i]);
    if (m.modseq <= synced_modseq_) continue;
    auto own = own_changes_.find(kept[i]);
    if (own != own_changes_.end() && own->second == m.modseq) continue;
    r.flag_changes.push_back(i + 1);
  }
  for (auto it = folder_->messages.lower_bound(synced_uid_next_); it != folder_->messages.end(); ++it) {
    kept.push_back(it->first);
    Claim(it->second);
  }
  uids_ = std::move(kept);
  synced_modseq_ = folder_->highest_modseq;
  synced_uid_next_ = folder_->uid_next;
  own_changes_.clear();
  Refresh();
  r.exists = count();
  r.recent = counters_.recent;
  return r;
}

Result<std::unique_ptr<FetchCursor>> MemMailbox::Fetch(const NumberSet& seqs, uint32_t items) {
  std::vector<std::pair<SeqNum, Uid>> list;
  for (auto [first, last] : seqs.ranges()) {
    if (first == 0 || first > count()) continue;
    for (SeqNum seq = first; seq <= std::min(last, count()); ++seq) list.emplace_back(seq, uids_[seq - 1]);
  }
  return std::unique_ptr<FetchCursor>(std::make_unique<MemFetchCursor>(*this, std::move(list)));
}

Result<std::shared_ptr<const mime::MessageStructure>> MemMailbox::Structure(Uid uid) {
  return Status::NotSupported("MemStore: MIME structure is not available yet");
}

Result<std::unique_ptr<MessageStream>> MemMailbox::OpenMessage(Uid uid) {
  std::lock_guard lock(state_->mu);
  auto it = folder_->messages.find(uid);
  if (it == folder_->messages.end()) {
    MailError e = SeqOf(uid) != 0 ? MailError::kExpunged : MailError::kNotFound;
    return Status::Mail(e, fmt::format("{}: no message with UID {}", name_, uid));
  }
  return std::unique_ptr<MessageStream>(std::make_unique<MemMessageStream>(it->second.data));
}

Result<std::vector<Uid>> MemMailbox::Search(const SearchProgram& program) {
  int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                    state_->clock.WallNow().time_since_epoch()).count();
  std::lock_guard lock(state_->mu);
  std::vector<Uid> out;
  for (Uid uid : uids_) {
    auto it = folder_->messages.find(uid);
    if (it == folder_->messages.end()) continue;
    ROOST_ASSIGN_OR_RETURN(bool match, MatchesSearch(program.root, it->second, IsRecent(it->second), *folder_, now));
    if (match) out.push_back(uid);
  }
  return out;
}

Result<ChangesSince> MemMailbox::Changes(ModSeq since) {
  std::lock_guard lock(state_->mu);
  ChangesSince out;
  for (const auto& [uid, m] : folder_->messages) {
    if (m.modseq > since) out.changed.push_back(uid);
  }
  for (auto [uid, modseq] : folder_->expunge_log) {
    if (modseq > since) out.vanished.Add(uid, uid);
  }
  return out;
}

std::unique_ptr<MailboxTransaction> MemMailbox::Begin() { return std::make_unique<MemTransaction>(*this); }

std::unique_ptr<Subscription> MemMailbox::Watch(ChangeListener listener) { return feed_->Subscribe(std::move(listener)); }

}  // namespace roost::storage::mem
