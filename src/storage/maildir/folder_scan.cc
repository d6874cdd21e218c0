#include "storage/maildir/folder_scan.h"

#include <algorithm>
#include <utility>

#include "storage/maildir/maildir_filename.h"
#include "storage/maildir/maildir_layout.h"

namespace roost::storage::maildir {
namespace {

// Lists one of new/ or cur/ into `out`; returns the directory's mtime.
Result<int64_t> ScanDir(Fs& fs, const std::string& path, MessageDir which, std::vector<ScannedMessage>& out) {
  ROOST_ASSIGN_OR_RETURN(FileStat dir_stat, fs.Stat(path));
  ROOST_ASSIGN_OR_RETURN(std::vector<DirEntry> entries, fs.ListDir(path));
  for (DirEntry& e : entries) {
    if (e.is_dir) continue;
    auto parsed = ParseMaildirFilename(e.name);
    if (!parsed.has_value()) continue;
    ScannedMessage m;
    m.basename = std::string(parsed->base);
    m.dir = which;
    m.flags = parsed->flags;
    m.unknown_flags = parsed->unknown_flags;
    m.size = parsed->size;
    if (!m.size) {
      auto st = fs.Stat(JoinPath(path, e.name));
      if (st.has_value()) m.size = st->size;
    }
    m.filename = std::move(e.name);
    out.push_back(std::move(m));
  }
  return dir_stat.mtime_ns;
}

}  // namespace

Result<FolderScan> ScanFolder(Fs& fs, const std::string& folder_dir) {
  FolderScan scan;
  ROOST_ASSIGN_OR_RETURN(scan.new_mtime_ns,
                         ScanDir(fs, NewPath(folder_dir), MessageDir::kNew, scan.messages));
  ROOST_ASSIGN_OR_RETURN(scan.cur_mtime_ns,
                         ScanDir(fs, CurPath(folder_dir), MessageDir::kCur, scan.messages));
  std::sort(scan.messages.begin(), scan.messages.end(), [](const ScannedMessage& a, const ScannedMessage& b) {
    if (a.dir != b.dir) return a.dir < b.dir;
    return a.filename < b.filename;
  });
  return scan;
}

Result<std::vector<MovedMessage>> MoveNewToCur(Fs& fs, const std::string& folder_dir,
                                               std::span<const std::string> names, size_t batch) {
  if (batch == 0) batch = 1;
  const std::string new_dir = NewPath(folder_dir);
  const std::string cur_dir = CurPath(folder_dir);
  std::vector<MovedMessage> moved;
  size_t in_batch = 0;
  for (const std::string& name : names) {
    auto parsed = ParseMaildirFilename(name);
    if (!parsed.has_value()) return parsed.error();
    MovedMessage m;
    m.from_name = name;
    // maildir(5): a file in new/ has no info; if another program gave it
    // one anyway, keep it rather than stack a second ":2,".
    m.to_name = parsed->has_info ? name : name + ":2,";
    Status s = fs.Rename(JoinPath(new_dir, name), JoinPath(cur_dir, m.to_name));
    if (s.code() == Status::Code::kNotFound) continue;
    ROOST_RETURN_IF_ERROR(s);
    moved.push_back(std::move(m));
    if (++in_batch == batch) {
      ROOST_RETURN_IF_ERROR(fs.SyncDir(cur_dir));
      in_batch = 0;
    }
  }
  if (in_batch > 0) ROOST_RETURN_IF_ERROR(fs.SyncDir(cur_dir));
  return moved;
}

}  // namespace roost::storage::maildir
