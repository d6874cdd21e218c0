#include "storage/mem/mem_transaction.h"

#include <chrono>

#include <fmt/format.h>

#include "storage/mem/mem_folder.h"
#include "storage/mem/mem_mailbox.h"

namespace roost::storage::mem {
namespace {

constexpr uint8_t kSystemFlagMask = kFlagSeen | kFlagAnswered | kFlagFlagged | kFlagDeleted | kFlagDraft;

// Live UIDs of `set`, ascending; a copy, so callers may expunge meanwhile.
std::vector<Uid> LiveUids(const MemFolder& folder, const NumberSet& set) {
  std::vector<Uid> out;
  for (auto [first, last] : set.ranges()) {
    for (auto it = folder.messages.lower_bound(first); it != folder.messages.end() && it->first <= last; ++it) {
      out.push_back(it->first);
    }
  }
  return out;
}

int64_t NowSeconds(const Clock& clock) {
  return std::chrono::duration_cast<std::chrono::seconds>(clock.WallNow().time_since_epoch()).count();
}

}  // namespace

MemTransaction::MemTransaction(MemMailbox& view) : view_(view) {}
MemTransaction::~MemTransaction() = default;

Status MemTransaction::CheckWritable(const char* what) const {
  if (done_) return Status::Mail(MailError::kNotPossible, "transaction already committed");
  if (view_.read_only()) {
    return Status::Mail(MailError::kNotPossible, fmt::format("{}: mailbox is read-only", what));
  }
  return Status::Ok();
}

Status MemTransaction::UpdateFlags(const NumberSet& uids, const FlagUpdate& update) {
  ROOST_RETURN_IF_ERROR(CheckWritable("STORE"));
  ops_.push_back(Op{Op::Kind::kFlags, uids, update, {}, false, {}});
  return Status::Ok();
}

Status MemTransaction::Expunge(const NumberSet& uids) {
  ROOST_RETURN_IF_ERROR(CheckWritable("EXPUNGE"));
  ops_.push_back(Op{Op::Kind::kExpunge, uids, {}, {}, false, {}});
  return Status::Ok();
}

Status MemTransaction::Copy(const NumberSet& uids, std::string_view destination, bool move) {
  if (move) ROOST_RETURN_IF_ERROR(CheckWritable("MOVE"));
  if (done_) return Status::Mail(MailError::kNotPossible, "transaction already committed");
  ops_.push_back(Op{Op::Kind::kCopy, uids, {}, std::string(destination), move, {}});
  return Status::Ok();
}

Status MemTransaction::Append(AppendMessage message) {
  if (done_) return Status::Mail(MailError::kNotPossible, "transaction already committed");
  ops_.push_back(Op{Op::Kind::kAppend, {}, {}, {}, false, std::move(message)});
  return Status::Ok();
}

Result<std::vector<MemTransaction::Touched>> MemTransaction::Prepare(MemState& state) {
  MemFolder& source = view_.folder();
  if (source.deleted) return Status::Mail(MailError::kNotFound, fmt::format("{} was deleted", view_.name()));
  std::vector<Touched> touched{Touched{&source, source.highest_modseq + 1, false}};
  std::vector<std::vector<std::string>> needed(1);  // keyword names per touched folder
  for (Op& op : ops_) {
    switch (op.kind) {
      case Op::Kind::kFlags:
        if (op.update.op != FlagOp::kRemove) {
          needed[0].insert(needed[0].end(), op.update.keywords.begin(), op.update.keywords.end());
        }
        break;
      case Op::Kind::kAppend:
        needed[0].insert(needed[0].end(), op.message.keywords.begin(), op.message.keywords.end());
        break;
      case Op::Kind::kExpunge:
        break;
      case Op::Kind::kCopy: {
        auto dest = state.Find(CanonicalName(op.destination));
        // RFC 9051 §6.4.7: the protocol answers NO [TRYCREATE].
        if (!dest) return Status::Mail(MailError::kNotFound, fmt::format("mailbox does not exist: {}", op.destination));
        op.target = touched.size();
        for (size_t i = 0; i < touched.size(); ++i) {
          if (touched[i].folder == dest.get()) op.target = i;
        }
        if (op.target == touched.size()) {
          touched.push_back(Touched{dest.get(), dest->highest_modseq + 1, false});
          needed.emplace_back();
        }
        uint64_t mask = 0;
        for (Uid uid : LiveUids(source, op.uids)) mask |= source.messages.at(uid).flags.keywords;
        auto names = source.KeywordNames(mask);
        needed[op.target].insert(needed[op.target].end(), names.begin(), names.end());
        break;
      }
    }
  }
  for (size_t i = 0; i < touched.size(); ++i) {
    const MemFolder& f = *touched[i].folder;
    if (f.keywords.size() + f.CountNewKeywords(needed[i]) > kMaxKeywords) {
      return Status::Mail(MailError::kLimit, fmt::format("{}: more than {} keywords", f.name, kMaxKeywords));
    }
  }
  return touched;
}

void MemTransaction::ApplyFlags(const Op& op, Touched& src, CommitInfo& info) {
  MemFolder& folder = *src.folder;
  uint64_t mask = 0;
  if (op.update.op == FlagOp::kRemove) {
    for (const auto& name : op.update.keywords) {
      if (auto id = folder.FindKeyword(name)) mask |= uint64_t{1} << *id;
    }
  } else {
    auto interned = folder.InternKeywords(op.update.keywords);  // within budget: checked by Prepare
    mask = interned.has_value() ? *interned : 0;
  }
  const uint8_t system = op.update.system & kSystemFlagMask;
  for (Uid uid : LiveUids(folder, op.uids)) {
    MemMessage& m = folder.messages.at(uid);
    // RFC 7162 §3.1.3: a message changed after UNCHANGEDSINCE is left alone.
    if (op.update.unchanged_since && m.modseq > *op.update.unchanged_since) {
      info.not_modified.Add(uid, uid);
      continue;
    }
    MessageFlags flags = m.flags;
    switch (op.update.op) {
      case FlagOp::kReplace: flags = MessageFlags{system, mask}; break;
      case FlagOp::kAdd: flags.system |= system; flags.keywords |= mask; break;
      case FlagOp::kRemove: flags.system &= static_cast<uint8_t>(~system); flags.keywords &= ~mask; break;
    }
    if (flags == m.flags) continue;
    m.flags = flags;
    m.modseq = src.modseq;
    src.changed = true;
    view_.NoteOwnChange(uid, src.modseq);
  }
}

void MemTransaction::ApplyExpunge(const Op& op, Touched& src) {
  for (Uid uid : LiveUids(*src.folder, op.uids)) {
    src.folder->Expunge(uid, src.modseq);
    src.changed = true;
  }
}

void MemTransaction::ApplyCopy(const Op& op, Touched& src, Touched& dst, CommitInfo& info) {
  info.dest_uid_validity = dst.folder->uid_validity;
  const int64_t now = NowSeconds(view_.state().clock);
  for (Uid uid : LiveUids(*src.folder, op.uids)) {
    const MemMessage& m = src.folder->messages.at(uid);
    MemMessage copy = m;  // same bytes, dates and object ids (RFC 8474 §5.1)
    if (dst.folder != src.folder) {
      auto mask = dst.folder->InternKeywords(src.folder->KeywordNames(m.flags.keywords));
      copy.flags.keywords = mask.has_value() ? *mask : 0;
    }
    copy.modseq = dst.modseq;
    copy.save_date = now;
    copy.recent = true;
    copy.recent_owner = 0;
    Uid new_uid = dst.folder->Add(std::move(copy));
    info.copied_from.Add(uid, uid);
    info.copied_to.Add(new_uid, new_uid);
    dst.changed = true;
    if (op.move) {
      src.folder->Expunge(uid, src.modseq);
      src.changed = true;
    }
  }
}

void MemTransaction::ApplyAppend(Op& op, Touched& src, MemState& state, CommitInfo& info) {
  const int64_t now = NowSeconds(state.clock);
  MemMessage m;
  m.data = std::make_shared<const std::string>(ToCrlf(op.message.data));
  auto mask = src.folder->InternKeywords(op.message.keywords);
  m.flags = MessageFlags{static_cast<uint8_t>(op.message.system_flags & kSystemFlagMask), mask.has_value() ? *mask : 0};
  m.modseq = src.modseq;
  m.internal_date = op.message.internal_date.value_or(now);
  m.internal_tz = op.message.internal_tz;
  m.save_date = now;
  state.AssignObjectIds(m);
  Uid uid = src.folder->Add(std::move(m));
  info.appended.Add(uid, uid);
  src.changed = true;
}

Result<CommitInfo> MemTransaction::Commit() {
  if (done_) return Status::Mail(MailError::kNotPossible, "transaction already committed");
  done_ = true;
  MemState& state = view_.state();
  CommitInfo info;
  std::vector<std::shared_ptr<MemChangeFeed>> notify;
  {
    std::lock_guard lock(state.mu);
    ROOST_ASSIGN_OR_RETURN(auto touched, Prepare(state));
    for (Op& op : ops_) {
      switch (op.kind) {
        case Op::Kind::kFlags: ApplyFlags(op, touched[0], info); break;
        case Op::Kind::kExpunge: ApplyExpunge(op, touched[0]); break;
        case Op::Kind::kCopy: ApplyCopy(op, touched[0], touched[op.target], info); break;
        case Op::Kind::kAppend: ApplyAppend(op, touched[0], state, info); break;
      }
    }
    for (Touched& t : touched) {
      if (!t.changed) continue;
      t.folder->highest_modseq = t.modseq;
      notify.push_back(t.folder->feed);
    }
    info.uid_validity = touched[0].folder->uid_validity;
    info.highest_modseq = touched[0].folder->highest_modseq;
  }
  ops_.clear();
  // After the lock: listeners may call Sync() on their own thread at once.
  for (auto& feed : notify) feed->Notify();
  return info;
}

}  // namespace roost::storage::mem
