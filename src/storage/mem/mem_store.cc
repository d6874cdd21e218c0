#include "storage/mem/mem_store.h"

#include <fmt/format.h>

#include "storage/mem/mem_folder.h"
#include "storage/mem/mem_mailbox.h"

namespace roost::storage::mem {
namespace {

constexpr char kSep = '.';
constexpr std::string_view kInbox = "INBOX";

// Empty names and empty hierarchy levels ("a..b", ".a", "a.") are invalid.
Status ValidateName(std::string_view name) {
  if (name.empty()) return Status::Mail(MailError::kParams, "empty mailbox name");
  if (name.front() == kSep || name.back() == kSep || name.find("..") != std::string_view::npos) {
    return Status::Mail(MailError::kParams, fmt::format("invalid mailbox name: {}", name));
  }
  return Status::Ok();
}

bool IsUnder(std::string_view name, std::string_view parent) {
  return name.size() > parent.size() + 1 && name.substr(0, parent.size()) == parent && name[parent.size()] == kSep;
}

bool HasChildren(const std::map<std::string, std::shared_ptr<MemFolder>>& folders, const std::string& name) {
  for (auto it = folders.upper_bound(name); it != folders.end(); ++it) {
    if (IsUnder(it->first, name)) return true;
    if (it->first.compare(0, name.size(), name) != 0) break;  // past every name starting with `name`
  }
  return false;
}

Status NotFound(std::string_view name) {
  return Status::Mail(MailError::kNotFound, fmt::format("mailbox does not exist: {}", name));
}

}  // namespace

MemStore::MemStore(Clock& clock) : state_(std::make_shared<MemState>(clock)) {
  std::lock_guard lock(state_->mu);
  state_->Make(std::string(kInbox), SpecialUse::kNone);
}

MemStore::~MemStore() = default;

std::shared_ptr<MemStore> NewMemStore(Clock& clock) { return std::make_shared<MemStore>(clock); }

StoreCapabilities MemStore::capabilities() const {
  StoreCapabilities caps;
  caps.quota = false;  // no limits in memory
  return caps;
}

Result<std::vector<MailboxInfo>> MemStore::List(const std::function<bool(std::string_view)>& filter) {
  std::lock_guard lock(state_->mu);
  // Existing folders plus the intermediate levels their names imply.
  std::map<std::string, MailboxInfo> all;
  for (const auto& [name, folder] : state_->folders) {
    MailboxInfo& info = all[name];
    info.name = name;
    info.special_use = folder->special_use;
    for (size_t pos = name.find(kSep); pos != std::string::npos; pos = name.find(kSep, pos + 1)) {
      std::string parent = name.substr(0, pos);
      if (state_->folders.count(parent) || all.count(parent)) continue;
      MailboxInfo& implied = all[parent];
      implied.name = parent;
      implied.selectable = false;
    }
  }
  std::vector<MailboxInfo> out;
  for (auto& [name, info] : all) {
    if (filter && !filter(name)) continue;
    info.has_children = HasChildren(state_->folders, name);
    info.subscribed = state_->subscriptions.count(name) > 0;
    out.push_back(std::move(info));
  }
  return out;
}

Status MemStore::Create(std::string_view name, SpecialUse use) {
  // RFC 9051 §6.3.4: a trailing separator only declares the intent to
  // create children; the name is created without it.
  if (name.size() > 1 && name.back() == kSep) name.remove_suffix(1);
  ROOST_RETURN_IF_ERROR(ValidateName(name));
  std::string canonical = CanonicalName(name);
  std::lock_guard lock(state_->mu);
  if (state_->Find(canonical)) {
    return Status::Mail(MailError::kExists, fmt::format("mailbox already exists: {}", canonical));
  }
  state_->Make(canonical, use);
  return Status::Ok();
}

Status MemStore::Delete(std::string_view name) {
  std::string canonical = CanonicalName(name);
  if (canonical == kInbox) return Status::Mail(MailError::kNotPossible, "INBOX cannot be deleted");
  std::shared_ptr<MemFolder> folder;
  {
    std::lock_guard lock(state_->mu);
    folder = state_->Find(canonical);
    if (!folder) return NotFound(canonical);
    folder->deleted = true;
    state_->folders.erase(canonical);
  }
  folder->feed->Notify();  // open views learn at their next Sync
  return Status::Ok();
}

Status MemStore::Rename(std::string_view from_name, std::string_view to_name) {
  ROOST_RETURN_IF_ERROR(ValidateName(to_name));
  std::string from = CanonicalName(from_name);
  std::string to = CanonicalName(to_name);
  std::shared_ptr<MemChangeFeed> notify;
  Status st = [&]() -> Status {
    std::lock_guard lock(state_->mu);
    if (!state_->Find(from)) return NotFound(from);
    if (to == kInbox || state_->Find(to)) {
      return Status::Mail(MailError::kExists, fmt::format("mailbox already exists: {}", to));
    }
    if (from == to || IsUnder(to, from)) {
      return Status::Mail(MailError::kNotPossible, fmt::format("cannot rename {} into itself", from));
    }
    if (from == kInbox) {
      notify = RenameInbox(to);
      return Status::Ok();
    }
    return RenameTree(from, to);
  }();
  if (notify) notify->Notify();  // outside the lock: listeners may Sync at once
  return st;
}

// The folder and its children move together; every target is checked
// before anything moves. Open views keep working on the moved folders.
Status MemStore::RenameTree(const std::string& from, const std::string& to) {
  std::vector<std::string> moving;
  for (const auto& [name, folder] : state_->folders) {
    if (name == from || IsUnder(name, from)) moving.push_back(name);
  }
  for (const auto& name : moving) {
    std::string target = to + name.substr(from.size());
    if (state_->Find(target)) {
      return Status::Mail(MailError::kExists, fmt::format("mailbox already exists: {}", target));
    }
  }
  for (const auto& name : moving) {
    auto folder = state_->folders[name];
    state_->folders.erase(name);
    folder->name = to + name.substr(from.size());
    state_->folders[folder->name] = folder;
  }
  return Status::Ok();
}

// RFC 9051 §6.3.10: all messages move to a new folder (a new UIDVALIDITY,
// so UIDs may be kept), INBOX stays and is empty, and INBOX's children are
// not renamed. Views of INBOX see every message expunged.
std::shared_ptr<MemChangeFeed> MemStore::RenameInbox(const std::string& to) {
  auto inbox = state_->Find(kInbox);
  auto dest = state_->Make(to, SpecialUse::kNone);
  dest->keywords = inbox->keywords;
  dest->uid_next = inbox->uid_next;
  dest->highest_modseq = inbox->highest_modseq;
  dest->messages = inbox->messages;
  for (auto& [uid, m] : dest->messages) m.recent_owner = 0;  // no view of `dest` exists yet
  ModSeq modseq = ++inbox->highest_modseq;
  while (!inbox->messages.empty()) inbox->Expunge(inbox->messages.begin()->first, modseq);
  return inbox->feed;
}

Result<std::vector<std::string>> MemStore::Subscriptions() {
  std::lock_guard lock(state_->mu);
  return std::vector<std::string>(state_->subscriptions.begin(), state_->subscriptions.end());
}

Status MemStore::SetSubscribed(std::string_view name, bool subscribed) {
  ROOST_RETURN_IF_ERROR(ValidateName(name));
  std::string canonical = CanonicalName(name);
  std::lock_guard lock(state_->mu);
  // RFC 9051 §6.3.7: subscribing to a name that does not exist is allowed.
  if (subscribed) {
    state_->subscriptions.insert(canonical);
  } else {
    state_->subscriptions.erase(canonical);
  }
  return Status::Ok();
}

Result<MailboxCounters> MemStore::Counters(std::string_view name) {
  std::lock_guard lock(state_->mu);
  auto folder = state_->Find(CanonicalName(name));
  if (!folder) return NotFound(name);
  return folder->Counters();
}

Result<QuotaUsage> MemStore::Quota() {
  std::lock_guard lock(state_->mu);
  QuotaUsage usage;
  for (const auto& [name, folder] : state_->folders) {
    usage.messages += folder->messages.size();
    for (const auto& [uid, m] : folder->messages) usage.bytes += m.data->size();
  }
  return usage;
}

Result<std::unique_ptr<Mailbox>> MemStore::Open(std::string_view name, OpenMode mode) {
  std::shared_ptr<MemFolder> folder;
  {
    std::lock_guard lock(state_->mu);
    folder = state_->Find(CanonicalName(name));
  }
  if (!folder) return NotFound(name);
  return std::unique_ptr<Mailbox>(std::make_unique<MemMailbox>(state_, std::move(folder), mode == OpenMode::kReadOnly));
}

}  // namespace roost::storage::mem
