#include "storage/maildir/delivery.h"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <map>
#include <utility>

#include "base/clock.h"
#include "storage/maildir/maildir_filename.h"
#include "storage/maildir/maildir_layout.h"

namespace roost::storage::maildir {
namespace {

constexpr mode_t kMessageMode = 0600;
// EEXIST on a name made of time, pid and a per-process counter means a
// clock step or a pid reused by another host on shared storage; a few
// fresh counter values settle it.
constexpr int kMaxNameAttempts = 8;

std::atomic<uint64_t> g_delivery_counter{0};

// A message written and synced in tmp/, not yet renamed.
struct Staged {
  std::string tmp_path;
  std::string target_dir;
  DeliveredFile file;
};

// Appends, fdatasyncs, stats and closes; the Stat gives the dev/ino the
// final name carries.
Result<FileStat> WriteAndSync(WritableFile& file, std::string_view data) {
  ROOST_RETURN_IF_ERROR(file.Append(data));
  ROOST_RETURN_IF_ERROR(file.Sync());
  ROOST_ASSIGN_OR_RETURN(FileStat st, file.Stat());
  ROOST_RETURN_IF_ERROR(file.Close());
  return st;
}

Result<Staged> WriteTmp(Fs& fs, const std::string& folder_dir, std::string_view data,
                        std::optional<Flags> flags, std::string_view hostname) {
  const std::string tmp_dir = TmpPath(folder_dir);
  for (int attempt = 0; attempt < kMaxNameAttempts; ++attempt) {
    auto now_us =
        std::chrono::duration_cast<std::chrono::microseconds>(Clock::System().WallNow().time_since_epoch())
            .count();
    std::string uniq = std::to_string(g_delivery_counter.fetch_add(1));
    UniqueNameParts parts;
    parts.sec = now_us / 1'000'000;
    parts.usec = now_us % 1'000'000;
    parts.pid = ::getpid();
    parts.uniq = uniq;
    parts.host = hostname;
    parts.size = data.size();
    std::string tmp_path = JoinPath(tmp_dir, FormatTmpName(parts));
    auto file = fs.CreateExclusive(tmp_path, kMessageMode);
    if (!file.has_value()) {
      if (file.error().code() == Status::Code::kAlreadyExists) continue;
      return file.error();
    }
    auto st = WriteAndSync(**file, data);
    if (!st.has_value()) {
      file->reset();
      (void)fs.Unlink(tmp_path);
      return st.error();
    }
    Staged out;
    out.tmp_path = std::move(tmp_path);
    out.file.basename = FormatFinalName(parts, st->dev, st->ino);
    out.file.name = flags.has_value() ? FormatCurName(out.file.basename, *flags, "") : out.file.basename;
    out.file.size = data.size();
    out.file.in_cur = flags.has_value();
    out.target_dir = flags.has_value() ? CurPath(folder_dir) : NewPath(folder_dir);
    out.file.path = JoinPath(out.target_dir, out.file.name);
    return out;
  }
  return Status::AlreadyExists("deliver: no unique name in " + tmp_dir + " after retries");
}

}  // namespace

Result<DeliveredFile> DeliverMessage(Fs& fs, const std::string& folder_dir, std::string_view data,
                                     std::optional<Flags> flags, std::string_view hostname) {
  DeliveryItem item{folder_dir, data, flags};
  std::vector<Result<DeliveredFile>> r = DeliverBatch(fs, std::span<const DeliveryItem>(&item, 1), hostname);
  return std::move(r.front());
}

std::vector<Result<DeliveredFile>> DeliverBatch(Fs& fs, std::span<const DeliveryItem> items,
                                                std::string_view hostname) {
  std::vector<std::optional<Staged>> staged(items.size());
  std::vector<Status> errors(items.size());
  // 1. Write and fdatasync every file in its tmp/.
  for (size_t i = 0; i < items.size(); ++i) {
    auto s = WriteTmp(fs, items[i].folder_dir, items[i].data, items[i].flags, hostname);
    if (s.has_value()) {
      staged[i] = std::move(*s);
    } else {
      errors[i] = std::move(s).error();
    }
  }
  // 2. Rename them all into new/ or cur/.
  for (size_t i = 0; i < items.size(); ++i) {
    if (!staged[i]) continue;
    Status s = fs.Rename(staged[i]->tmp_path, staged[i]->file.path);
    if (!s.ok()) {
      (void)fs.Unlink(staged[i]->tmp_path);
      errors[i] = std::move(s);
      staged[i].reset();
    }
  }
  // 3. One fsync per distinct target directory makes the names durable.
  std::map<std::string, Status> synced;
  for (const auto& st : staged) {
    if (st && !synced.contains(st->target_dir)) synced.emplace(st->target_dir, fs.SyncDir(st->target_dir));
  }
  std::vector<Result<DeliveredFile>> out;
  out.reserve(items.size());
  for (size_t i = 0; i < items.size(); ++i) {
    if (staged[i]) {
      const Status& dir_status = synced.at(staged[i]->target_dir);
      if (dir_status.ok()) {
        out.emplace_back(std::move(staged[i]->file));
        continue;
      }
      // Not acknowledged, so the sender will retry: do not leave a copy.
      (void)fs.Unlink(staged[i]->file.path);
      errors[i] = dir_status;
    }
    out.emplace_back(std::move(errors[i]));
  }
  return out;
}

}  // namespace roost::storage::maildir
