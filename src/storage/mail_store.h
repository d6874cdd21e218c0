// MailStore: one user's mail, as every protocol sees it.
//
// A MailStore is the root of a user's folders: it lists, creates, deletes
// and renames them, keeps subscriptions, answers STATUS without opening a
// folder (O(1), from the index counters), and opens Mailbox views. Engines
// implement it: storage/maildir (Maildir++ with the RocksDB index, the
// production engine) and storage/mem (in memory, for protocol tests).
// Protocol code includes only storage/*.h, never an engine.
//
// Names are the storage's own: UTF-8, hierarchy separator '.', "INBOX"
// case-insensitive (RFC 9051 §5.1). Converting to modified UTF-7 or another
// separator is the protocol's business.
//
// Thread affinity: thread-safe. A user's sessions share one MailStore.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "storage/types.h"

namespace roost::storage {

class Mailbox;

// RFC 6154 special-use attributes.
enum class SpecialUse : uint8_t { kNone, kAll, kArchive, kDrafts, kFlagged, kJunk, kSent, kTrash };

struct MailboxInfo {
  std::string name;
  SpecialUse special_use = SpecialUse::kNone;
  bool selectable = true;     // false: \Noselect (an intermediate level)
  bool has_children = false;  // \HasChildren / \HasNoChildren
  bool subscribed = false;
};

// Counters kept by the index so STATUS and SELECT never scan messages.
struct MailboxCounters {
  uint32_t messages = 0;
  uint32_t recent = 0;
  uint32_t unseen = 0;
  Uid uid_validity = 0;
  Uid uid_next = 1;
  ModSeq highest_modseq = 1;
  uint64_t size = 0;          // RFC 8438 STATUS=SIZE, CRLF octets
  SeqNum first_unseen = 0;    // 0 = none
  uint32_t deleted = 0;       // messages with \Deleted (RFC 9051 STATUS DELETED)
};

struct QuotaUsage {
  uint64_t bytes = 0, bytes_limit = 0;    // limit 0 = none
  uint64_t messages = 0, messages_limit = 0;
};

// Which engine features work, so protocols advertise only what they can do.
struct StoreCapabilities {
  bool keywords = true;
  bool condstore = true;   // modseqs are persistent
  bool object_ids = true;  // RFC 8474 EMAILID/THREADID
  bool quota = true;
};

enum class OpenMode : uint8_t {
  kReadWrite,  // SELECT
  kReadOnly,   // EXAMINE, STATUS-like peeks: \Recent is not claimed
};

class MailStore {
 public:
  virtual ~MailStore() = default;

  virtual StoreCapabilities capabilities() const = 0;

  // Every folder whose name matches `filter` (nullptr = all), with
  // attributes. Patterns (% and *) are the protocol's job.
  virtual Result<std::vector<MailboxInfo>> List(
      const std::function<bool(std::string_view)>& filter = nullptr) = 0;
  virtual Status Create(std::string_view name, SpecialUse use = SpecialUse::kNone) = 0;
  // Deletes the folder; its children stay (RFC 9051 §6.3.9). INBOX cannot
  // be deleted (MailError::kNotPossible).
  virtual Status Delete(std::string_view name) = 0;
  // Renames the folder and its children. Renaming INBOX moves its messages
  // to the new folder and leaves INBOX empty (RFC 9051 §6.3.10).
  virtual Status Rename(std::string_view from, std::string_view to) = 0;

  virtual Result<std::vector<std::string>> Subscriptions() = 0;
  virtual Status SetSubscribed(std::string_view name, bool subscribed) = 0;

  // O(1) counters of a folder that may not be open.
  virtual Result<MailboxCounters> Counters(std::string_view name) = 0;
  virtual Result<QuotaUsage> Quota() = 0;

  virtual Result<std::unique_ptr<Mailbox>> Open(std::string_view name, OpenMode mode) = 0;
};

}  // namespace roost::storage
