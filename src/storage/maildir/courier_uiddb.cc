#include "storage/maildir/courier_uiddb.h"

#include <unordered_set>

namespace roost::storage::maildir {
namespace {

constexpr std::string_view kWhat = "courierimapuiddb";

Status ParseHeader(std::string_view line, UidList& out) {
  auto f = SplitFields(line, 0);
  if (f.empty() || f[0] != "1") {
    if (!f.empty() && ParseU64(f[0])) {
      return Status::NotSupported("courierimapuiddb: unsupported version " + std::string(f[0]));
    }
    return LineError(kWhat, 1, "bad header");
  }
  if (f.size() != 3) return LineError(kWhat, 1, "header needs version, uidvalidity and nextuid");
  auto uidv = ParseU32(f[1]);
  auto next = ParseU32(f[2]);
  if (!uidv) return LineError(kWhat, 1, "bad uidvalidity");
  if (!next || *next == 0) return LineError(kWhat, 1, "bad nextuid");
  out.uidvalidity = *uidv;
  out.nextuid = *next;
  return Status::Ok();
}

}  // namespace

Result<UidList> ParseCourierUidDb(std::string_view data, size_t max_entries) {
  ROOST_ASSIGN_OR_RETURN(auto lines, SplitLines(data, kWhat, kMaxSideFileLine, max_entries + 1));
  if (lines.empty()) return Status::Corruption("courierimapuiddb: empty file");
  UidList out;
  ROOST_RETURN_IF_ERROR(ParseHeader(lines[0], out));
  out.entries.reserve(lines.size() - 1);
  std::unordered_set<std::string_view> seen;
  uint32_t last = 0;
  for (size_t i = 1; i < lines.size(); ++i) {
    auto f = SplitFields(lines[i], 2);
    if (f.size() != 2 || f[1].empty()) return LineError(kWhat, i + 1, "expected '<uid> <basename>'");
    auto uid = ParseU32(f[0]);
    if (!uid || *uid == 0) return LineError(kWhat, i + 1, "bad uid");
    if (*uid <= last) return LineError(kWhat, i + 1, "uids not ascending");
    if (*uid >= out.nextuid) return LineError(kWhat, i + 1, "uid not below nextuid");
    if (f[1].find('/') != std::string_view::npos || f[1].find('\0') != std::string_view::npos) {
      return LineError(kWhat, i + 1, "basename contains '/' or NUL");
    }
    if (!seen.insert(f[1]).second) return LineError(kWhat, i + 1, "duplicate basename");
    last = *uid;
    out.entries.push_back(UidEntry{*uid, std::string(f[1])});
  }
  return out;
}

std::string FormatCourierUidDb(const UidList& list) {
  std::string out = "1 " + std::to_string(list.uidvalidity) + " " + std::to_string(list.nextuid) + "\n";
  for (const auto& e : list.entries) {
    out += std::to_string(e.uid);
    out += ' ';
    out += e.basename;
    out += '\n';
  }
  return out;
}

uint32_t NewUidValidity(std::time_t tmp_file_mtime) {
  int64_t v = static_cast<int64_t>(tmp_file_mtime) - kCourierImapEpoch;
  if (v < 1) return 1;
  if (v > static_cast<int64_t>(UINT32_MAX)) return UINT32_MAX;
  return static_cast<uint32_t>(v);
}

}  // namespace roost::storage::maildir
