// MemFolder and MemState: the shared state behind the in-memory engine.
//
// MemState is one user's whole store: the folders by name, subscriptions
// and id counters, all behind ONE mutex. This is a test engine: a single
// lock keeps cross-folder operations (COPY, MOVE, RENAME of INBOX) atomic
// without lock ordering, and simplicity matters more than speed here.
//
// A MemFolder is one folder's messages (live ones, in UID order), its
// interned keywords and its change log (the modseq of every live message
// plus the UIDs expunged at each modseq), from which views compute Sync()
// and Changes(since). Folders are shared_ptr'd: open views keep a folder
// alive after it is deleted or renamed (`deleted` tells them).
//
// Thread affinity: thread-safe only under MemState::mu; every member
// function and field of MemFolder REQUIRES it.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/clock.h"
#include "base/result.h"
#include "storage/mail_store.h"
#include "storage/mem/mem_change_feed.h"
#include "storage/types.h"

namespace roost::storage::mem {

struct MemMessage {
  Uid uid = 0;
  std::shared_ptr<const std::string> data;  // CRLF-normalised octets
  MessageFlags flags;
  ModSeq modseq = 0;
  int64_t internal_date = 0;
  int32_t internal_tz = 0;
  int64_t save_date = 0;
  std::string email_id, thread_id;
  // RFC 9051 §2.3.2 \Recent: set on arrival; `recent_owner` is the id of
  // the read-write view that claimed it (0 = none yet). Cleared when that
  // view closes.
  bool recent = true;
  uint64_t recent_owner = 0;
};

struct MemFolder {
  MemFolder(std::string folder_name, Uid validity, SpecialUse use);

  std::string name;
  SpecialUse special_use = SpecialUse::kNone;
  Uid uid_validity = 0;
  Uid uid_next = 1;
  ModSeq highest_modseq = 1;
  bool deleted = false;  // deleted, or INBOX's messages moved away by RENAME
  std::map<Uid, MemMessage> messages;                 // live messages
  std::vector<std::pair<Uid, ModSeq>> expunge_log;    // in modseq order
  std::vector<std::string> keywords;                  // id -> name
  std::shared_ptr<MemChangeFeed> feed = std::make_shared<MemChangeFeed>();

  // Keyword ids, case-insensitively (RFC 9051 §2.3.2: flag names are not
  // case-sensitive). The first spelling is kept.
  std::optional<unsigned> FindKeyword(std::string_view keyword) const;
  // How many of `names` are not interned yet (distinct).
  unsigned CountNewKeywords(const std::vector<std::string>& names) const;
  // Interns every name; fails with MailError::kLimit past kMaxKeywords
  // without interning any.
  Result<uint64_t> InternKeywords(const std::vector<std::string>& names);
  // Keyword names of a mask, for copying flags into another folder.
  std::vector<std::string> KeywordNames(uint64_t mask) const;

  // Adds a message, assigning the next UID; the caller sets the modseq.
  Uid Add(MemMessage message);
  void Expunge(Uid uid, ModSeq modseq);

  // Counters over the whole folder (O(messages): fine in memory).
  MailboxCounters Counters() const;
};

struct MemState {
  explicit MemState(Clock& c) : clock(c) {}

  std::mutex mu;
  Clock& clock;
  // Keyed by the canonical name ("INBOX" upper-case).
  std::map<std::string, std::shared_ptr<MemFolder>> folders;  // GUARDED_BY(mu)
  std::set<std::string> subscriptions;                        // GUARDED_BY(mu)
  Uid next_uid_validity = 1000;                               // GUARDED_BY(mu)
  uint64_t next_object_id = 1;                                // GUARDED_BY(mu)
  uint64_t next_view_id = 1;                                  // GUARDED_BY(mu)

  // REQUIRES: mu held. nullptr when missing.
  std::shared_ptr<MemFolder> Find(std::string_view canonical_name) const;
  // REQUIRES: mu held; the name is free.
  std::shared_ptr<MemFolder> Make(const std::string& canonical_name, SpecialUse use);
  // Stamps email and thread ids (RFC 8474) on a new message. REQUIRES: mu.
  void AssignObjectIds(MemMessage& message);
};

// "INBOX" in any case becomes "INBOX", as does the INBOX prefix of a
// child ("inbox.x" -> "INBOX.x"); other names are returned unchanged.
std::string CanonicalName(std::string_view name);
// Bare LF becomes CRLF; existing CRLF is kept.
std::string ToCrlf(std::string_view data);

}  // namespace roost::storage::mem
