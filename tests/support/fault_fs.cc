#include "support/fault_fs.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include <fmt/format.h>

namespace roost::storage {
namespace {

// Files bigger than this are not saved for undo (tests use small files).
constexpr size_t kMaxSavedBytes = 64 << 20;

std::string Parent(const std::string& path) {
  auto slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

bool IsUnder(const std::string& path, const std::string& dir) {
  return path.size() > dir.size() && path.compare(0, dir.size(), dir) == 0 && path[dir.size()] == '/';
}

void WriteWhole(const std::string& path, const std::string& data) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(data.data(), static_cast<std::streamsize>(data.size()));
}

}  // namespace

// Forwards to the base file, keeping the shared FileState up to date.
class FaultWritableFile final : public WritableFile {
 public:
  FaultWritableFile(FaultFs* fs, std::unique_ptr<WritableFile> base, std::string path,
                    std::shared_ptr<FaultFs::FileState> state)
      : fs_(fs), base_(std::move(base)), path_(std::move(path)), state_(std::move(state)) {}

  Status Append(std::string_view data) override {
    ROOST_RETURN_IF_ERROR(fs_->Enter(FsOp::kWrite, fmt::format("write({})", path_)));
    ROOST_RETURN_IF_ERROR(base_->Append(data));
    fs_->OnAppend(*state_, data.size());
    return Status::Ok();
  }
  Status Sync() override {
    ROOST_RETURN_IF_ERROR(fs_->Enter(FsOp::kFsync, fmt::format("fdatasync({})", path_)));
    ROOST_RETURN_IF_ERROR(base_->Sync());
    fs_->OnSync(*state_);
    return Status::Ok();
  }
  Result<FileStat> Stat() override { return base_->Stat(); }
  Status Close() override {
    ROOST_RETURN_IF_ERROR(fs_->Enter(FsOp::kClose, fmt::format("close({})", path_)));
    return base_->Close();
  }

 private:
  FaultFs* fs_;
  std::unique_ptr<WritableFile> base_;
  std::string path_;
  std::shared_ptr<FaultFs::FileState> state_;
};

FaultFs::FaultFs(Fs& base) : base_(base) {}
FaultFs::~FaultFs() = default;

void FaultFs::FailNth(FsOp op, uint64_t nth, int err) {
  std::lock_guard lock(mu_);
  faults_.push_back(Fault{op, calls_[static_cast<size_t>(op)] + nth, err});
}

void FaultFs::ClearFaults() {
  std::lock_guard lock(mu_);
  faults_.clear();
}

uint64_t FaultFs::Calls(FsOp op) const {
  std::lock_guard lock(mu_);
  return calls_[static_cast<size_t>(op)];
}

void FaultFs::ResetCounts() {
  std::lock_guard lock(mu_);
  // Armed faults are relative to the counts they were armed at.
  for (auto& f : faults_) f.at_call -= std::min(f.at_call, calls_[static_cast<size_t>(f.op)]);
  calls_.fill(0);
}

Status FaultFs::Enter(FsOp op, std::string_view what) {
  std::lock_guard lock(mu_);
  uint64_t n = ++calls_[static_cast<size_t>(op)];
  for (auto it = faults_.begin(); it != faults_.end(); ++it) {
    if (it->op == op && it->at_call == n) {
      int err = it->err;
      faults_.erase(it);
      return Status::FromErrno(err, what);
    }
  }
  return Status::Ok();
}

void FaultFs::OnAppend(FileState& state, uint64_t n) {
  std::lock_guard lock(mu_);
  state.size += n;
}

void FaultFs::OnSync(FileState& state) {
  std::lock_guard lock(mu_);
  state.synced_size = state.size;
}

Result<std::unique_ptr<WritableFile>> FaultFs::CreateExclusive(const std::string& path, mode_t mode) {
  ROOST_RETURN_IF_ERROR(Enter(FsOp::kCreate, fmt::format("open({})", path)));
  ROOST_ASSIGN_OR_RETURN(auto file, base_.CreateExclusive(path, mode));
  auto state = std::make_shared<FileState>();
  {
    std::lock_guard lock(mu_);
    files_[path] = state;
    pending_.push_back(Pending{Pending::Kind::kCreate, Parent(path), path, "", std::nullopt, nullptr});
  }
  return std::unique_ptr<WritableFile>(
      std::make_unique<FaultWritableFile>(this, std::move(file), path, std::move(state)));
}

Result<std::unique_ptr<ReadableFile>> FaultFs::OpenRead(const std::string& path) {
  ROOST_RETURN_IF_ERROR(Enter(FsOp::kOpenRead, fmt::format("open({})", path)));
  return base_.OpenRead(path);
}

Result<std::string> FaultFs::ReadSmallFile(const std::string& path, size_t max_bytes) {
  ROOST_RETURN_IF_ERROR(Enter(FsOp::kReadSmallFile, fmt::format("open({})", path)));
  return base_.ReadSmallFile(path, max_bytes);
}

// Built from this FaultFs's own primitives so each inner step is counted,
// can be failed, and is tracked for SimulateCrash.
Status FaultFs::ReplaceFile(const std::string& path, std::string_view data, bool sync_dir) {
  ROOST_RETURN_IF_ERROR(Enter(FsOp::kReplaceFile, fmt::format("replace({})", path)));
  std::string tmp;
  {
    std::lock_guard lock(mu_);
    tmp = fmt::format("{}.tmp.{}.f{}", path, ::getpid(), tmp_counter_++);
  }
  Status st;
  {
    auto file = CreateExclusive(tmp, 0600);
    if (!file.has_value()) return std::move(file).error();
    st = (*file)->Append(data);
    if (st.ok()) st = (*file)->Sync();
    if (st.ok()) st = (*file)->Close();
  }
  if (st.ok()) st = Rename(tmp, path);
  if (!st.ok()) {
    (void)base_.Unlink(tmp);  // best effort, as PosixFs does
    std::lock_guard lock(mu_);
    files_.erase(tmp);
    return st;
  }
  return sync_dir ? SyncDir(Parent(path)) : Status::Ok();
}

Status FaultFs::Rename(const std::string& from, const std::string& to) {
  ROOST_RETURN_IF_ERROR(Enter(FsOp::kRename, fmt::format("rename({}, {})", from, to)));
  std::optional<std::string> saved;
  auto target = base_.Stat(to);
  if (target.has_value() && !target->is_dir) {
    auto content = base_.ReadSmallFile(to, kMaxSavedBytes);
    if (content.has_value()) saved = std::move(*content);
  }
  ROOST_RETURN_IF_ERROR(base_.Rename(from, to));
  std::lock_guard lock(mu_);
  auto it = files_.find(to);
  std::shared_ptr<FileState> saved_state = it == files_.end() ? nullptr : it->second;
  pending_.push_back(Pending{Pending::Kind::kRename, Parent(to), from, to, std::move(saved), saved_state});
  MoveTracked(from, to);
  return Status::Ok();
}

Status FaultFs::Link(const std::string& from, const std::string& to) {
  ROOST_RETURN_IF_ERROR(Enter(FsOp::kLink, fmt::format("link({}, {})", from, to)));
  ROOST_RETURN_IF_ERROR(base_.Link(from, to));
  std::lock_guard lock(mu_);
  pending_.push_back(Pending{Pending::Kind::kLink, Parent(to), from, to, std::nullopt, nullptr});
  if (auto it = files_.find(from); it != files_.end()) files_[to] = it->second;
  return Status::Ok();
}

Status FaultFs::Unlink(const std::string& path) {
  ROOST_RETURN_IF_ERROR(Enter(FsOp::kUnlink, fmt::format("unlink({})", path)));
  std::optional<std::string> saved;
  if (auto content = base_.ReadSmallFile(path, kMaxSavedBytes); content.has_value()) saved = std::move(*content);
  ROOST_RETURN_IF_ERROR(base_.Unlink(path));
  std::lock_guard lock(mu_);
  auto it = files_.find(path);
  std::shared_ptr<FileState> state = it == files_.end() ? nullptr : it->second;
  if (it != files_.end()) files_.erase(it);
  pending_.push_back(Pending{Pending::Kind::kUnlink, Parent(path), path, "", std::move(saved), std::move(state)});
  return Status::Ok();
}

Status FaultFs::Mkdir(const std::string& path, mode_t mode) {
  ROOST_RETURN_IF_ERROR(Enter(FsOp::kMkdir, fmt::format("mkdir({})", path)));
  ROOST_RETURN_IF_ERROR(base_.Mkdir(path, mode));
  std::lock_guard lock(mu_);
  pending_.push_back(Pending{Pending::Kind::kMkdir, Parent(path), path, "", std::nullopt, nullptr});
  return Status::Ok();
}

Status FaultFs::Rmdir(const std::string& path) {
  ROOST_RETURN_IF_ERROR(Enter(FsOp::kRmdir, fmt::format("rmdir({})", path)));
  ROOST_RETURN_IF_ERROR(base_.Rmdir(path));
  std::lock_guard lock(mu_);
  pending_.push_back(Pending{Pending::Kind::kRmdir, Parent(path), path, "", std::nullopt, nullptr});
  return Status::Ok();
}

Status FaultFs::SyncDir(const std::string& path) {
  ROOST_RETURN_IF_ERROR(Enter(FsOp::kSyncDir, fmt::format("fsync({})", path)));
  ROOST_RETURN_IF_ERROR(base_.SyncDir(path));
  std::lock_guard lock(mu_);
  std::erase_if(pending_, [&](const Pending& p) { return p.dir == path; });
  return Status::Ok();
}

Result<std::vector<DirEntry>> FaultFs::ListDir(const std::string& path) {
  ROOST_RETURN_IF_ERROR(Enter(FsOp::kListDir, fmt::format("opendir({})", path)));
  return base_.ListDir(path);
}

Result<FileStat> FaultFs::Stat(const std::string& path) {
  ROOST_RETURN_IF_ERROR(Enter(FsOp::kStat, fmt::format("stat({})", path)));
  return base_.Stat(path);
}

Result<std::unique_ptr<FileLock>> FaultFs::Lock(const std::string& path, bool exclusive) {
  ROOST_RETURN_IF_ERROR(Enter(FsOp::kLock, fmt::format("flock({})", path)));
  return base_.Lock(path, exclusive);
}

void FaultFs::MoveTracked(const std::string& from, const std::string& to) {
  std::vector<std::pair<std::string, std::shared_ptr<FileState>>> moved;
  for (auto it = files_.begin(); it != files_.end();) {
    if (it->first == from || IsUnder(it->first, from)) {
      moved.emplace_back(to + it->first.substr(from.size()), it->second);
      it = files_.erase(it);
    } else if (it->first == to) {
      it = files_.erase(it);  // the name now points to whatever `from` was
    } else {
      ++it;
    }
  }
  for (auto& [path, state] : moved) files_[path] = std::move(state);
}

void FaultFs::Undo(const Pending& p) {
  std::error_code ec;  // undo is best effort: a later undone step may have removed the name
  switch (p.kind) {
    case Pending::Kind::kCreate:
      ::unlink(p.a.c_str());
      files_.erase(p.a);
      break;
    case Pending::Kind::kMkdir:
      std::filesystem::remove_all(p.a, ec);
      std::erase_if(files_, [&](const auto& kv) { return IsUnder(kv.first, p.a); });
      break;
    case Pending::Kind::kRmdir:
      ::mkdir(p.a.c_str(), 0700);
      break;
    case Pending::Kind::kRename:
      ::rename(p.b.c_str(), p.a.c_str());
      MoveTracked(p.b, p.a);
      if (p.saved) WriteWhole(p.b, *p.saved);
      if (p.saved_state) files_[p.b] = p.saved_state;
      break;
    case Pending::Kind::kLink:
      ::unlink(p.b.c_str());
      files_.erase(p.b);
      break;
    case Pending::Kind::kUnlink:
      if (p.saved) WriteWhole(p.a, *p.saved);
      if (p.saved_state) files_[p.a] = p.saved_state;
      break;
  }
}

void FaultFs::SimulateCrash() {
  std::lock_guard lock(mu_);
  for (auto it = pending_.rbegin(); it != pending_.rend(); ++it) Undo(*it);
  pending_.clear();
  for (auto& [path, state] : files_) {
    struct stat st;
    if (::stat(path.c_str(), &st) == 0 && static_cast<uint64_t>(st.st_size) > state->synced_size) {
      if (::truncate(path.c_str(), static_cast<off_t>(state->synced_size)) != 0) continue;
    }
  }
  files_.clear();  // what survived is durable now
}

}  // namespace roost::storage
