#include "storage/maildir/uid_assign.h"

#include <algorithm>
#include <limits>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

#include "storage/maildir/courier_uiddb.h"
#include "storage/maildir/dovecot_uidlist.h"
#include "storage/maildir/maildir_layout.h"

namespace roost::storage::maildir {
namespace {

// Leading decimal seconds of a Maildir name; names without one sort last.
uint64_t LeadingSeconds(std::string_view name) {
  uint64_t v = 0;
  size_t i = 0;
  for (; i < name.size() && i < 19 && name[i] >= '0' && name[i] <= '9'; ++i) v = v * 10 + (name[i] - '0');
  return i == 0 ? std::numeric_limits<uint64_t>::max() : v;
}

// Arrival order: by delivery second, then by name (a plain string compare
// would put "999999999.x" after "1000000000.x").
bool ArrivalLess(std::string_view a, std::string_view b) {
  uint64_t sa = LeadingSeconds(a), sb = LeadingSeconds(b);
  if (sa != sb) return sa < sb;
  return a < b;
}

}  // namespace

UidAssignment AssignUids(const std::optional<UidList>& existing, std::span<const ScannedMessage> messages,
                         uint32_t fresh_uidvalidity) {
  std::unordered_set<std::string_view> present;
  present.reserve(messages.size());
  for (const ScannedMessage& m : messages) present.insert(m.basename);

  UidAssignment out;
  std::unordered_set<std::string_view> kept;
  if (existing.has_value()) {
    out.list.uidvalidity = existing->uidvalidity;
    out.list.nextuid = existing->nextuid;
    for (const UidEntry& e : existing->entries) {
      if (present.contains(e.basename)) {
        out.list.entries.push_back(e);
      } else {
        ++out.removed;
      }
    }
    for (const UidEntry& e : out.list.entries) kept.insert(e.basename);
  } else {
    out.list.uidvalidity = fresh_uidvalidity;
    out.list.nextuid = 1;
    out.new_validity = true;
  }

  std::vector<std::string_view> fresh;
  for (std::string_view name : present) {
    if (!kept.contains(name)) fresh.push_back(name);
  }
  std::sort(fresh.begin(), fresh.end(), ArrivalLess);

  const uint64_t room = uint64_t{std::numeric_limits<uint32_t>::max()} - out.list.nextuid;
  if (existing.has_value() && fresh.size() > room) {
    // UID space exhausted: a new UIDVALIDITY and a full renumbering.
    return AssignUids(std::nullopt, messages, fresh_uidvalidity);
  }
  for (std::string_view name : fresh) {
    out.list.entries.push_back(UidEntry{out.list.nextuid++, std::string(name)});
  }
  out.added = fresh.size();
  out.changed = out.new_validity || out.added > 0 || out.removed > 0;
  return out;
}

Result<LoadedUidList> LoadUidList(Fs& fs, const std::string& folder_dir) {
  LoadedUidList out;
  auto courier = fs.ReadSmallFile(CourierUidDbPath(folder_dir), kMaxUidListBytes);
  if (courier.has_value()) {
    auto list = ParseCourierUidDb(*courier);
    if (list.has_value()) {
      out.list = std::move(*list);
      out.source = UidListSource::kCourier;
    } else {
      out.discarded = std::move(list).error();
    }
    // A damaged courierimapuiddb is newer than any dovecot-uidlist beside
    // it, so the Dovecot file is not consulted: start afresh.
    return out;
  }
  if (courier.error().code() != Status::Code::kNotFound) return std::move(courier).error();

  auto dovecot = fs.ReadSmallFile(DovecotUidListPath(folder_dir), kMaxUidListBytes);
  if (!dovecot.has_value()) {
    if (dovecot.error().code() == Status::Code::kNotFound) return out;
    return std::move(dovecot).error();
  }
  auto parsed = ParseDovecotUidList(*dovecot);
  if (parsed.has_value()) {
    out.list = std::move(parsed->uids);
    out.source = UidListSource::kDovecot;
  } else {
    out.discarded = std::move(parsed).error();
  }
  return out;
}

Status WriteCourierUidList(Fs& fs, const std::string& folder_dir, const UidList& list) {
  return fs.ReplaceFile(CourierUidDbPath(folder_dir), FormatCourierUidDb(list), /*sync_dir=*/true);
}

Result<UidAssignment> RefreshUids(Fs& fs, const std::string& folder_dir,
                                  std::span<const ScannedMessage> messages, std::time_t now) {
  ROOST_ASSIGN_OR_RETURN(LoadedUidList loaded, LoadUidList(fs, folder_dir));
  UidAssignment a = AssignUids(loaded.list, messages, NewUidValidity(now));
  // A list carried over from dovecot-uidlist is written even if unchanged,
  // so courierimapuiddb exists from the first open on.
  if (a.changed || loaded.source == UidListSource::kDovecot) {
    Status s = WriteCourierUidList(fs, folder_dir, a.list);
    if (!s.ok() && s.code() != Status::Code::kPermissionDenied) return s;
  }
  return a;
}

}  // namespace roost::storage::maildir
