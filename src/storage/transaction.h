// MailboxTransaction: a batch of changes to one folder, committed at once.
//
// Commit() makes every change durable together (one group-committed index
// batch; message files fsynced before their index records) and returns the
// UIDs assigned, for UIDPLUS's APPENDUID/COPYUID. Destroying an uncommitted
// transaction rolls it back; nothing is visible to other sessions before
// Commit returns.
//
// Thread affinity: strand only.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "storage/types.h"

namespace roost::storage {

struct FlagUpdate {
  FlagOp op = FlagOp::kAdd;
  uint8_t system = 0;                 // SystemFlag bits
  std::vector<std::string> keywords;  // names; interned by the engine
  // RFC 7162 UNCHANGEDSINCE: messages with a higher modseq are left alone
  // and reported in CommitInfo::not_modified.
  std::optional<ModSeq> unchanged_since;
};

struct AppendMessage {
  std::string data;  // the message as received (CRLF or LF)
  uint8_t system_flags = 0;
  std::vector<std::string> keywords;
  std::optional<int64_t> internal_date;  // default: now
  int32_t internal_tz = 0;
};

struct CommitInfo {
  Uid uid_validity = 0;
  NumberSet appended;      // APPENDUID
  Uid dest_uid_validity = 0;
  NumberSet copied_from;   // COPYUID source UIDs...
  NumberSet copied_to;     // ...and their new UIDs, in the same order
  NumberSet not_modified;  // UNCHANGEDSINCE failures (RFC 7162 MODIFIED)
  ModSeq highest_modseq = 0;
};

class MailboxTransaction {
 public:
  virtual ~MailboxTransaction() = default;  // rolls back unless committed

  virtual Status UpdateFlags(const NumberSet& uids, const FlagUpdate& update) = 0;
  virtual Status Expunge(const NumberSet& uids) = 0;
  // Copies (or moves, expunging the sources) into another folder of the
  // same user.
  virtual Status Copy(const NumberSet& uids, std::string_view destination, bool move) = 0;
  virtual Status Append(AppendMessage message) = 0;

  virtual Result<CommitInfo> Commit() = 0;
};

}  // namespace roost::storage
