// MemMailbox: one session's view of an in-memory folder.
//
// The view owns its UID column (the snapshot of UIDs its sequence numbers
// refer to) and the modseq and UIDNEXT it last synced at. Sync() compares
// that snapshot with the shared MemFolder: UIDs gone are reported as
// EXPUNGE sequence numbers (RFC 9051 §7.5.1, in reporting order), UIDs at
// or above the old UIDNEXT are new (EXISTS), and live messages whose
// modseq passed the synced one are flag changes, except those whose last
// change was committed by this very view (the session already answered
// them, e.g. in its STORE reply).
//
// A read-write view claims \Recent for the messages it is the first to see
// and gives it up when destroyed (RFC 9051 §2.3.2); a read-only view shows
// \Recent for messages nobody claimed yet and claims nothing.
//
// Ownership: owned by the session; keeps the store state and the folder
// alive. Cursors, streams and transactions it returns must not outlive it
// (streams are the exception: they own the bytes).
//
// Thread affinity: strand only. The shared folder behind it is protected
// by the store's mutex.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "storage/mailbox.h"
#include "storage/mem/mem_folder.h"

namespace roost::storage::mem {

class MemMailbox final : public Mailbox {
 public:
  MemMailbox(std::shared_ptr<MemState> state, std::shared_ptr<MemFolder> folder, bool read_only);
  ~MemMailbox() override;
  MemMailbox(const MemMailbox&) = delete;
  MemMailbox& operator=(const MemMailbox&) = delete;

  const std::string& name() const override { return name_; }
  bool read_only() const override { return read_only_; }
  const MailboxCounters& counters() const override { return counters_; }
  const std::vector<std::string>& keywords() const override { return keywords_; }
  bool CanCreateKeywords() const override { return keywords_.size() < kMaxKeywords; }

  uint32_t count() const override { return static_cast<uint32_t>(uids_.size()); }
  Uid UidAt(SeqNum seq) const override;
  SeqNum SeqOf(Uid uid) const override;

  Result<SyncResult> Sync() override;
  Result<std::unique_ptr<FetchCursor>> Fetch(const NumberSet& seqs, uint32_t items) override;
  Result<std::shared_ptr<const mime::MessageStructure>> Structure(Uid uid) override;
  Result<std::unique_ptr<MessageStream>> OpenMessage(Uid uid) override;
  Result<std::vector<Uid>> Search(const SearchProgram& program) override;
  Result<ChangesSince> Changes(ModSeq since) override;
  std::unique_ptr<MailboxTransaction> Begin() override;
  std::unique_ptr<Subscription> Watch(ChangeListener listener) override;

  // For MemTransaction and the cursor (same strand).
  MemState& state() const { return *state_; }
  MemFolder& folder() const { return *folder_; }
  // Records that this view's commit set `uid` to `modseq`, so the next
  // Sync() does not echo the change back.
  void NoteOwnChange(Uid uid, ModSeq modseq) { own_changes_[uid] = modseq; }
  // Whether `m` shows \Recent in this view. REQUIRES: state().mu held.
  bool IsRecent(const MemMessage& m) const;
  // Fills `out` from `m`. REQUIRES: state().mu held.
  void FillMeta(const MemMessage& m, SeqNum seq, MessageMeta& out) const;

 private:
  // Claims \Recent on `m` when this view is read-write. REQUIRES: mu held.
  void Claim(MemMessage& m);
  // Recomputes counters_ and keywords_ from the view. REQUIRES: mu held.
  void Refresh();

  std::shared_ptr<MemState> state_;
  std::shared_ptr<MemFolder> folder_;
  std::shared_ptr<MemChangeFeed> feed_;
  const bool read_only_;
  uint64_t view_id_ = 0;
  std::string name_;
  Uid uid_validity_ = 0;
  std::vector<Uid> uids_;  // ascending; position + 1 = sequence number
  ModSeq synced_modseq_ = 0;
  Uid synced_uid_next_ = 1;
  MailboxCounters counters_;
  std::vector<std::string> keywords_;
  std::map<Uid, ModSeq> own_changes_;
};

}  // namespace roost::storage::mem
