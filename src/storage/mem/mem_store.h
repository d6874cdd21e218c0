// MemStore: a MailStore kept entirely in memory, for protocol tests.
//
// Transcript tests of IMAP/POP3/SMAP run against it, so it follows the
// MailStore contract closely: INBOX always exists and cannot be deleted;
// the hierarchy separator is '.'; a name whose children exist but which
// does not exist itself is listed as \Noselect; renaming INBOX moves its
// messages into the new folder and leaves INBOX empty (RFC 9051 §6.3.10);
// subscriptions are a set of names and survive Delete and Rename, as the
// RFC allows. Counters() is O(messages) here, not O(1) as in the
// production engine.
//
// All folders share one mutex (see mem_folder.h): simplicity over speed.
// Ownership: NewMemStore() returns a shared_ptr because a user's sessions
// share the store; every Mailbox view opened from it keeps the store's
// state alive.
//
// Thread affinity: thread-safe. Views (MemMailbox) are strand only.
#pragma once

#include <memory>

#include "base/clock.h"
#include "storage/mail_store.h"

namespace roost::storage::mem {

struct MemState;
class MemChangeFeed;

class MemStore final : public MailStore {
 public:
  // `clock` supplies internal and save dates and "now" for OLDER/YOUNGER;
  // it must outlive the store and every view.
  explicit MemStore(Clock& clock = Clock::System());
  ~MemStore() override;
  MemStore(const MemStore&) = delete;
  MemStore& operator=(const MemStore&) = delete;

  StoreCapabilities capabilities() const override;
  Result<std::vector<MailboxInfo>> List(const std::function<bool(std::string_view)>& filter = nullptr) override;
  Status Create(std::string_view name, SpecialUse use = SpecialUse::kNone) override;
  Status Delete(std::string_view name) override;
  Status Rename(std::string_view from, std::string_view to) override;
  Result<std::vector<std::string>> Subscriptions() override;
  Status SetSubscribed(std::string_view name, bool subscribed) override;
  Result<MailboxCounters> Counters(std::string_view name) override;
  Result<QuotaUsage> Quota() override;
  Result<std::unique_ptr<Mailbox>> Open(std::string_view name, OpenMode mode) override;

 private:
  // REQUIRES: state_->mu held.
  Status RenameTree(const std::string& from, const std::string& to);
  std::shared_ptr<MemChangeFeed> RenameInbox(const std::string& to);  // the feed to notify

  std::shared_ptr<MemState> state_;
};

std::shared_ptr<MemStore> NewMemStore(Clock& clock = Clock::System());

}  // namespace roost::storage::mem

namespace roost::storage {
// Protocol tests say storage::NewMemStore().
using mem::MemStore;
using mem::NewMemStore;
}  // namespace roost::storage
