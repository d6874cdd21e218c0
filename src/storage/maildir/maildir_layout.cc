#include "storage/maildir/maildir_layout.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <map>
#include <set>
#include <utility>

#include "base/clock.h"

namespace roost::storage::maildir {
namespace {

constexpr mode_t kDirMode = 0700;
constexpr mode_t kFileMode = 0600;
// A Maildir++ folder holds tmp/new/cur plus courierimapkeywords/ and the
// like; nothing legitimate nests deeper than this, and the bound keeps a
// hostile symlink-free tree from recursing without end.
constexpr int kMaxRemoveDepth = 8;

// Mkdir that accepts an existing directory (for completing a half-made
// folder after a crash).
Status MkdirIfMissing(Fs& fs, const std::string& path) {
  Status s = fs.Mkdir(path, kDirMode);
  if (s.code() == Status::Code::kAlreadyExists) return Status::Ok();
  return s;
}

std::string UniqueTrashName(std::string_view dir) {
  static std::atomic<uint64_t> counter{0};
  auto now =
      std::chrono::duration_cast<std::chrono::microseconds>(Clock::System().WallNow().time_since_epoch())
          .count();
  return std::to_string(now / 1'000'000) + ".M" + std::to_string(now % 1'000'000) + "P" +
         std::to_string(::getpid()) + "_" + std::to_string(counter.fetch_add(1)) + ".deleted" +
         std::string(dir);
}

Status RemoveTreeAt(Fs& fs, const std::string& path, int depth) {
  if (depth > kMaxRemoveDepth) return Status::ResourceExhausted("remove tree: too deep: " + path);
  ROOST_ASSIGN_OR_RETURN(std::vector<DirEntry> entries, fs.ListDir(path));
  for (const DirEntry& e : entries) {
    if (e.name == "." || e.name == "..") continue;
    std::string child = JoinPath(path, e.name);
    if (e.is_dir) {
      ROOST_RETURN_IF_ERROR(RemoveTreeAt(fs, child, depth + 1));
    } else {
      Status s = fs.Unlink(child);
      if (!s.ok() && s.code() != Status::Code::kNotFound) return s;
    }
  }
  return fs.Rmdir(path);
}

}  // namespace

Status RemoveTree(Fs& fs, const std::string& path) { return RemoveTreeAt(fs, path, 0); }

Result<size_t> PurgeTmp(Fs& fs, const std::string& folder_dir, int64_t now_ns, int64_t max_age_ns) {
  const std::string tmp = TmpPath(folder_dir);
  ROOST_ASSIGN_OR_RETURN(std::vector<DirEntry> entries, fs.ListDir(tmp));
  size_t removed = 0;
  for (const DirEntry& e : entries) {
    if (e.name == "." || e.name == "..") continue;
    std::string path = JoinPath(tmp, e.name);
    auto st = fs.Stat(path);
    if (!st.has_value() || now_ns - st->mtime_ns < max_age_ns) continue;  // gone, or young
    Status s = e.is_dir ? RemoveTree(fs, path) : fs.Unlink(path);         // d_type: links not followed
    if (s.ok()) {
      ++removed;
    } else if (s.code() != Status::Code::kNotFound) {
      return s;
    }
  }
  return removed;
}

std::string JoinPath(std::string_view dir, std::string_view name) {
  std::string out(dir);
  out += '/';
  out += name;
  return out;
}

MaildirLayout::MaildirLayout(Fs& fs, std::string root, FolderNaming naming)
    : fs_(fs), root_(std::move(root)), naming_(naming) {}

Result<std::string> MaildirLayout::FolderDir(std::string_view mailbox) const {
  return MailboxToDir(mailbox, naming_);
}

Result<std::string> MaildirLayout::FolderPath(std::string_view mailbox) const {
  ROOST_ASSIGN_OR_RETURN(std::string dir, FolderDir(mailbox));
  if (dir.empty()) return root_;
  return JoinPath(root_, dir);
}

Status MaildirLayout::CreateFolder(std::string_view mailbox) {
  ROOST_ASSIGN_OR_RETURN(std::string dir, FolderDir(mailbox));
  if (dir.empty()) return Status::AlreadyExists("create folder: INBOX always exists");
  std::string path = JoinPath(root_, dir);
  auto cur = fs_.Stat(CurPath(path));
  if (cur.has_value()) return Status::AlreadyExists("create folder: " + dir + " exists");
  ROOST_RETURN_IF_ERROR(MkdirIfMissing(fs_, path));
  ROOST_RETURN_IF_ERROR(MkdirIfMissing(fs_, TmpPath(path)));
  ROOST_RETURN_IF_ERROR(MkdirIfMissing(fs_, NewPath(path)));
  auto marker = fs_.CreateExclusive(JoinPath(path, kMaildirFolderFile), kFileMode);
  if (marker.has_value()) {
    ROOST_RETURN_IF_ERROR((*marker)->Close());
  } else if (marker.error().code() != Status::Code::kAlreadyExists) {
    return marker.error();
  }
  // cur/ last: ListFolders requires it, so the folder appears complete.
  ROOST_RETURN_IF_ERROR(MkdirIfMissing(fs_, CurPath(path)));
  ROOST_RETURN_IF_ERROR(fs_.SyncDir(path));
  return fs_.SyncDir(root_);
}

Status MaildirLayout::DeleteFolder(std::string_view mailbox) {
  ROOST_ASSIGN_OR_RETURN(std::string dir, FolderDir(mailbox));
  if (dir.empty()) return Status::InvalidArgument("delete folder: INBOX cannot be deleted");
  std::string path = JoinPath(root_, dir);
  // Look the name up in a listing rather than with stat(), which follows
  // symlinks: a ".x" that is a symlink is unlinked, its target untouched.
  ROOST_ASSIGN_OR_RETURN(std::vector<DirEntry> entries, fs_.ListDir(root_));
  auto it = std::find_if(entries.begin(), entries.end(), [&](const DirEntry& e) { return e.name == dir; });
  if (it == entries.end()) return Status::NotFound("delete folder: " + dir + " does not exist");
  if (!it->is_dir) {
    ROOST_RETURN_IF_ERROR(fs_.Unlink(path));
    return fs_.SyncDir(root_);
  }
  // Move it out of sight first, so a crash while unlinking never leaves a
  // half-emptied folder that still lists; tmp/ is on the same filesystem.
  std::string doomed = JoinPath(TmpPath(root_), UniqueTrashName(dir));
  if (fs_.Rename(path, doomed).ok()) {
    ROOST_RETURN_IF_ERROR(fs_.SyncDir(root_));
    path = std::move(doomed);
  }
  ROOST_RETURN_IF_ERROR(RemoveTree(fs_, path));
  return fs_.SyncDir(root_);
}

Result<std::vector<FolderRename>> MaildirLayout::RenameFolder(std::string_view from, std::string_view to) {
  ROOST_ASSIGN_OR_RETURN(std::string from_dir, FolderDir(from));
  ROOST_ASSIGN_OR_RETURN(std::string to_dir, FolderDir(to));
  if (from_dir.empty() || to_dir.empty()) {
    return Status::InvalidArgument("rename folder: INBOX cannot be renamed here");
  }
  if (from_dir == to_dir) return Status::AlreadyExists("rename folder: same name");
  if (to_dir.starts_with(from_dir + ".")) {
    return Status::InvalidArgument("rename folder: target is inside the source");
  }
  ROOST_ASSIGN_OR_RETURN(std::vector<DirEntry> entries, fs_.ListDir(root_));
  std::set<std::string> existing;
  for (const DirEntry& e : entries) existing.insert(e.name);
  std::vector<FolderRename> plan;
  for (const DirEntry& e : entries) {
    if (!e.is_dir) continue;
    if (e.name != from_dir && !e.name.starts_with(from_dir + ".")) continue;
    FolderRename r;
    r.from_dir = e.name;
    r.to_dir = to_dir + e.name.substr(from_dir.size());
    if (r.to_dir.size() > kMaxFolderDirLength) {
      return Status::InvalidArgument("rename folder: " + r.to_dir.substr(0, 64) + "... too long");
    }
    if (existing.contains(r.to_dir)) return Status::AlreadyExists("rename folder: " + r.to_dir + " exists");
    // Both names must be valid folders (the source may be junk on disk).
    auto from_mb = DirToMailbox(r.from_dir, naming_);
    auto to_mb = DirToMailbox(r.to_dir, naming_);
    if (!from_mb.has_value()) continue;
    if (!to_mb.has_value()) return to_mb.error();
    r.from_mailbox = std::move(*from_mb);
    r.to_mailbox = std::move(*to_mb);
    plan.push_back(std::move(r));
  }
  if (plan.empty()) return Status::NotFound("rename folder: " + from_dir + " does not exist");
  std::sort(plan.begin(), plan.end(),
            [](const FolderRename& a, const FolderRename& b) { return a.from_dir < b.from_dir; });
  for (size_t i = 0; i < plan.size(); ++i) {
    Status s = fs_.Rename(JoinPath(root_, plan[i].from_dir), JoinPath(root_, plan[i].to_dir));
    if (!s.ok()) {
      for (size_t j = i; j-- > 0;) {  // best-effort rollback, newest first
        (void)fs_.Rename(JoinPath(root_, plan[j].to_dir), JoinPath(root_, plan[j].from_dir));
      }
      (void)fs_.SyncDir(root_);
      return s;
    }
  }
  ROOST_RETURN_IF_ERROR(fs_.SyncDir(root_));
  return plan;
}

Result<std::vector<FolderInfo>> MaildirLayout::ListFolders() const {
  ROOST_ASSIGN_OR_RETURN(std::vector<DirEntry> entries, fs_.ListDir(root_));
  std::map<std::string, bool> dirs;  // dir -> selectable
  for (const DirEntry& e : entries) {
    if (!e.is_dir || e.name.size() < 2 || e.name[0] != '.' || e.name == "..") continue;
    if (!DirToMailbox(e.name, naming_).has_value()) continue;
    auto cur = fs_.Stat(CurPath(JoinPath(root_, e.name)));
    if (!cur.has_value() || !cur->is_dir) continue;
    dirs[e.name] = true;
    // ".a.b.c" implies ".a" and ".a.b".
    for (size_t pos = e.name.find('.', 1); pos != std::string::npos; pos = e.name.find('.', pos + 1)) {
      dirs.try_emplace(e.name.substr(0, pos), false);
    }
  }
  std::vector<FolderInfo> out;
  out.push_back(FolderInfo{"INBOX", "", true});
  for (auto& [dir, selectable] : dirs) {
    auto mailbox = DirToMailbox(dir, naming_);
    if (!mailbox.has_value()) continue;
    out.push_back(FolderInfo{std::move(*mailbox), dir, selectable});
  }
  return out;
}

}  // namespace roost::storage::maildir
