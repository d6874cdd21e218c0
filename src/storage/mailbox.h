// Mailbox: one session's view of an open folder (SELECT / EXAMINE).
//
// The view fixes the message sequence a session sees between sync points:
// sequence numbers are positions in the view, and they change only when the
// session calls Sync() (RFC 9051 §7.5.1: expunges are announced only when
// the client allows it). The bulk data behind the view (UIDs, flags,
// modseqs as columnar chunks) is shared between sessions of the same folder
// by the engine; a view costs O(messages) bytes at most (its UID column),
// never per-message syscalls or per-message index reads to open.
//
// Thread affinity: strand only (owned by one session). Engines make the
// shared state behind it thread-safe.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "storage/change_feed.h"
#include "storage/mail_store.h"
#include "storage/search.h"
#include "storage/types.h"

namespace roost::storage {

class MailboxTransaction;
class MessageStream;

namespace mime {
struct MessageStructure;
}

// What FETCH-like callers want beyond UID and flags. Cheap items come from
// the columnar index; structure and headers from the per-message cache
// (parsed once, on first demand); the body from the message file.
enum FetchItem : uint32_t {
  kFetchFlags = 1 << 0,
  kFetchModSeq = 1 << 1,
  kFetchSize = 1 << 2,          // CRLF octets (RFC822.SIZE)
  kFetchInternalDate = 1 << 3,
  kFetchSaveDate = 1 << 4,
  kFetchObjectIds = 1 << 5,     // EMAILID / THREADID (RFC 8474)
};

struct MessageMeta {
  SeqNum seq = 0;
  Uid uid = 0;
  MessageFlags flags;
  bool recent = false;
  ModSeq modseq = 0;
  uint64_t size = 0;
  int64_t internal_date = 0;  // seconds since the epoch, with...
  int32_t internal_tz = 0;    // ...its zone offset in minutes
  std::optional<int64_t> save_date;
  std::string email_id, thread_id;
};

// Iterates a set of messages in sequence order. Resumable: a protocol
// writer that hits its output soft limit stops calling Next() and resumes
// later from where it was, so a slow reader of FETCH 1:* costs no memory.
class FetchCursor {
 public:
  virtual ~FetchCursor() = default;
  // Fills `out` with the next message; false at the end.
  virtual Result<bool> Next(MessageMeta& out) = 0;
};

// What changed since the view was last synced, in the order the protocol
// must report it.
struct SyncResult {
  // Sequence numbers to announce with EXPUNGE, each relative to the view
  // after the previous one was removed (RFC 9051 §7.5.1).
  std::vector<SeqNum> expunged;
  NumberSet vanished;              // the same messages as UIDs (QRESYNC)
  uint32_t exists = 0;             // new message count
  uint32_t recent = 0;
  std::vector<SeqNum> flag_changes;  // messages whose flags/modseq changed
  bool uid_validity_changed = false; // the session must end (BYE)
};

// CONDSTORE/QRESYNC "what changed since modseq N", in O(changes).
struct ChangesSince {
  std::vector<Uid> changed;  // flags or keywords changed after N (live messages)
  NumberSet vanished;        // expunged after N, including above the highest live UID
};

class Mailbox {
 public:
  virtual ~Mailbox() = default;

  virtual const std::string& name() const = 0;
  virtual bool read_only() const = 0;
  virtual const MailboxCounters& counters() const = 0;
  // Keyword names by id (the mailbox's interned keywords), for FLAGS and
  // PERMANENTFLAGS.
  virtual const std::vector<std::string>& keywords() const = 0;
  virtual bool CanCreateKeywords() const = 0;

  // Sequence <-> UID within the view. UidAt(0) and out-of-range are 0.
  virtual uint32_t count() const = 0;
  virtual Uid UidAt(SeqNum seq) const = 0;
  // 0 when the UID is not in the view.
  virtual SeqNum SeqOf(Uid uid) const = 0;

  // Brings the view up to date and says what to report.
  virtual Result<SyncResult> Sync() = 0;

  // Messages of `seqs` (sequence numbers of the view) with `items`.
  virtual Result<std::unique_ptr<FetchCursor>> Fetch(const NumberSet& seqs, uint32_t items) = 0;
  // The parsed MIME structure, envelope included (cached after first parse).
  virtual Result<std::shared_ptr<const mime::MessageStructure>> Structure(Uid uid) = 0;
  // The message bytes as CRLF-normalised octets (what IMAP serves).
  virtual Result<std::unique_ptr<MessageStream>> OpenMessage(Uid uid) = 0;

  // Matching UIDs in ascending order.
  virtual Result<std::vector<Uid>> Search(const SearchProgram& program) = 0;
  virtual Result<ChangesSince> Changes(ModSeq since) = 0;

  virtual std::unique_ptr<MailboxTransaction> Begin() = 0;
  virtual std::unique_ptr<Subscription> Watch(ChangeListener listener) = 0;
};

// A message's bytes, random access, CRLF-normalised.
//
// Thread affinity: strand only.
class MessageStream {
 public:
  virtual ~MessageStream() = default;
  virtual uint64_t size() const = 0;
  // Reads up to out.size() bytes at `offset`; 0 at the end.
  virtual Result<size_t> Read(uint64_t offset, std::span<char> out) = 0;
};

}  // namespace roost::storage
