// MaildirLayout: where things live in one user's Maildir++ tree, and the
// folder operations that change the tree's shape (spec §2.1, §2.4).
//
// The root is the main maildir (INBOX). Every other folder is a flat sibling
// directory ".<a>.<b>" of the root's tmp/new/cur, named by folder_name.h.
// Every mailbox name goes through MailboxToDir's validation before it
// becomes a path, and directories found on disk go through DirToMailbox
// before they are reported, so no name can reach outside the root or alias
// Maildir's own files. All filesystem calls go through the Fs seam.
//
// Crash behaviour: CreateFolder makes cur/ last, and ListFolders only
// reports directories with a cur/, so a folder appears whole or not at all;
// a repeated CreateFolder completes a half-made one. DeleteFolder first
// renames the folder into the root's tmp/ (one atomic step the client sees),
// then removes the files. RenameFolder is one rename per folder; a failure
// part-way rolls back the renames already done.
//
// Ownership: holds a reference to an Fs that must outlive it.
// Thread affinity: thread-safe (no mutable state), but concurrent shape
// changes of one tree must be serialised by the caller (the per-user
// writer).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "storage/fs.h"
#include "storage/maildir/folder_name.h"

namespace roost::storage::maildir {

inline constexpr std::string_view kTmpDir = "tmp";
inline constexpr std::string_view kNewDir = "new";
inline constexpr std::string_view kCurDir = "cur";
inline constexpr std::string_view kMaildirFolderFile = "maildirfolder";
inline constexpr std::string_view kCourierUidDbFile = "courierimapuiddb";
inline constexpr std::string_view kCourierKeywordsDir = "courierimapkeywords";
inline constexpr std::string_view kCourierSubscribedFile = "courierimapsubscribed";
inline constexpr std::string_view kMaildirsizeFile = "maildirsize";
inline constexpr std::string_view kDovecotUidListFile = "dovecot-uidlist";
inline constexpr std::string_view kDovecotKeywordsFile = "dovecot-keywords";

// "<dir>/<name>".
std::string JoinPath(std::string_view dir, std::string_view name);

// Paths inside one folder directory (the root for INBOX).
inline std::string TmpPath(std::string_view folder) { return JoinPath(folder, kTmpDir); }
inline std::string NewPath(std::string_view folder) { return JoinPath(folder, kNewDir); }
inline std::string CurPath(std::string_view folder) { return JoinPath(folder, kCurDir); }
inline std::string CourierUidDbPath(std::string_view folder) { return JoinPath(folder, kCourierUidDbFile); }
inline std::string CourierKeywordsPath(std::string_view folder) {
  return JoinPath(folder, kCourierKeywordsDir);
}
inline std::string DovecotUidListPath(std::string_view folder) {
  return JoinPath(folder, kDovecotUidListFile);
}
inline std::string DovecotKeywordsPath(std::string_view folder) {
  return JoinPath(folder, kDovecotKeywordsFile);
}

// Removes `path` and everything under it. Symlinks below `path` are
// unlinked, never followed; nesting deeper than a Maildir ever has fails.
// REQUIRES: `path` itself is a directory, not a symlink to one (callers
// check the parent's listing: Fs::Stat follows symlinks).
Status RemoveTree(Fs& fs, const std::string& path);

// maildir(5): a reader removes tmp/ entries untouched for 36 hours (the
// remains of a delivery that died, or of a DeleteFolder cut short by a
// crash). Returns how many entries were removed.
inline constexpr int64_t kTmpMaxAgeNs = int64_t{36} * 3600 * 1'000'000'000;
Result<size_t> PurgeTmp(Fs& fs, const std::string& folder_dir, int64_t now_ns,
                        int64_t max_age_ns = kTmpMaxAgeNs);

struct FolderInfo {
  std::string mailbox;     // "INBOX", "INBOX.Sent" (per FolderNaming)
  std::string dir;         // "" for INBOX, ".Sent"
  bool selectable = true;  // false: only implied by a child (".a" for ".a.b")
};

struct FolderRename {
  std::string from_mailbox, to_mailbox;
  std::string from_dir, to_dir;  // directory names under the root
};

class MaildirLayout {
 public:
  MaildirLayout(Fs& fs, std::string root, FolderNaming naming = {});

  const std::string& root() const { return root_; }
  const FolderNaming& naming() const { return naming_; }

  // The folder directory of `mailbox` (the root for INBOX). Validates the
  // name; does not touch the disk.
  Result<std::string> FolderPath(std::string_view mailbox) const;

  // Root-only side files.
  std::string SubscribedPath() const { return JoinPath(root_, kCourierSubscribedFile); }
  std::string MaildirsizePath() const { return JoinPath(root_, kMaildirsizeFile); }

  // Makes ".<name>/{tmp,new,cur}" and an empty "maildirfolder", then fsyncs
  // the folder and the root. AlreadyExists for INBOX or a complete folder.
  Status CreateFolder(std::string_view mailbox);

  // Removes the folder's own directory tree; ".<name>.<child>" folders
  // stay. InvalidArgument for INBOX, NotFound if it does not exist.
  Status DeleteFolder(std::string_view mailbox);

  // Renames the folder and every ".<old>.*" descendant. The old folder
  // itself may be only implied (children exist). Refuses INBOX on either
  // side, a target inside the source, and any target that already exists
  // (checked before anything is renamed). Returns the renames done.
  Result<std::vector<FolderRename>> RenameFolder(std::string_view from, std::string_view to);

  // INBOX, every folder directory with a cur/, and every intermediate name
  // implied by one (selectable = false), sorted by directory name.
  // Directories whose names are not valid folders are skipped.
  Result<std::vector<FolderInfo>> ListFolders() const;

 private:
  Result<std::string> FolderDir(std::string_view mailbox) const;

  Fs& fs_;
  std::string root_;
  FolderNaming naming_;
};

}  // namespace roost::storage::maildir
