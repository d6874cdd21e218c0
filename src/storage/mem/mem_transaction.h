// MemTransaction: a MailboxTransaction of the in-memory engine.
//
// Operations are only recorded until Commit(), which validates everything
// first (destinations exist, keyword budgets of every touched folder) and
// then applies all of it under the store mutex, so other views see either
// none or all of it. Each commit gives every message it changes one new
// modseq (highest_modseq + 1 of that folder); a message whose flags end up
// unchanged keeps its modseq. Listeners of every changed folder are
// notified after the lock is released. Destroying an uncommitted
// transaction discards it (nothing was applied).
//
// On a read-only view, flag changes, expunges and moves fail with
// MailError::kNotPossible; COPY out of it and APPEND into its folder are
// allowed (RFC 9051: EXAMINE forbids changing the mailbox's state, not
// adding to it).
//
// Ownership: created by MemMailbox::Begin(); the view must outlive it.
//
// Thread affinity: strand only (the view's).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "storage/transaction.h"

namespace roost::storage::mem {

class MemMailbox;
struct MemFolder;
struct MemState;

class MemTransaction final : public MailboxTransaction {
 public:
  explicit MemTransaction(MemMailbox& view);
  ~MemTransaction() override;

  Status UpdateFlags(const NumberSet& uids, const FlagUpdate& update) override;
  Status Expunge(const NumberSet& uids) override;
  Status Copy(const NumberSet& uids, std::string_view destination, bool move) override;
  Status Append(AppendMessage message) override;
  Result<CommitInfo> Commit() override;

 private:
  struct Op {
    enum class Kind : uint8_t { kFlags, kExpunge, kCopy, kAppend } kind;
    NumberSet uids;
    FlagUpdate update;
    std::string destination;
    bool move = false;
    AppendMessage message;
    size_t target = 0;  // kCopy: index of the destination in Touched, set by Prepare
  };
  // Per commit: the folders touched and their new modseqs.
  struct Touched {
    MemFolder* folder = nullptr;  // kept alive by the view or the store map
    ModSeq modseq = 0;
    bool changed = false;
  };

  Status CheckWritable(const char* what) const;
  // Resolves destinations and checks keyword budgets. REQUIRES: mu held.
  Result<std::vector<Touched>> Prepare(MemState& state);
  // REQUIRES: mu held; Prepare succeeded.
  void ApplyFlags(const Op& op, Touched& src, CommitInfo& info);
  void ApplyExpunge(const Op& op, Touched& src);
  void ApplyCopy(const Op& op, Touched& src, Touched& dst, CommitInfo& info);
  void ApplyAppend(Op& op, Touched& src, MemState& state, CommitInfo& info);

  MemMailbox& view_;
  std::vector<Op> ops_;
  bool done_ = false;
};

}  // namespace roost::storage::mem
