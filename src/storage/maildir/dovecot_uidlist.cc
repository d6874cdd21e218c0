#include "storage/maildir/dovecot_uidlist.h"

#include <unordered_set>

namespace roost::storage::maildir {
namespace {

constexpr std::string_view kWhat = "dovecot-uidlist";

bool IsHex(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    if (!hex) return false;
  }
  return true;
}

Status ParseHeaderV3(const std::vector<std::string_view>& f, DovecotUidList& out) {
  bool have_v = false, have_n = false;
  for (size_t i = 1; i < f.size(); ++i) {
    std::string_view field = f[i];
    if (field.empty()) continue;
    std::string_view value = field.substr(1);
    if (field[0] == 'V') {
      auto v = ParseU32(value);
      if (!v) return LineError(kWhat, 1, "bad V (uidvalidity)");
      out.uids.uidvalidity = *v;
      have_v = true;
    } else if (field[0] == 'N') {
      auto v = ParseU32(value);
      if (!v || *v == 0) return LineError(kWhat, 1, "bad N (nextuid)");
      out.uids.nextuid = *v;
      have_n = true;
    } else if (field[0] == 'G') {
      if (!IsHex(value)) return LineError(kWhat, 1, "bad G (mailbox guid)");
      out.mailbox_guid = std::string(value);
    }
    // Other header fields (e.g. the index extension offsets) are ignored.
  }
  if (!have_v || !have_n) return LineError(kWhat, 1, "header lacks V or N");
  return Status::Ok();
}

Status ParseHeader(std::string_view line, DovecotUidList& out) {
  auto f = SplitFields(line, 0);
  if (f[0] == "3") {
    out.version = 3;
    return ParseHeaderV3(f, out);
  }
  if (f[0] == "1") {
    out.version = 1;
    if (f.size() != 3) return LineError(kWhat, 1, "version 1 header needs uidvalidity and nextuid");
    auto uidv = ParseU32(f[1]);
    auto next = ParseU32(f[2]);
    if (!uidv || !next || *next == 0) return LineError(kWhat, 1, "bad version 1 header");
    out.uids.uidvalidity = *uidv;
    out.uids.nextuid = *next;
    return Status::Ok();
  }
  if (ParseU64(f[0])) return Status::NotSupported("dovecot-uidlist: unsupported version " + std::string(f[0]));
  return LineError(kWhat, 1, "bad header");
}

// Returns the filename part of an entry line after "<uid> ", or an empty
// view if the line is malformed.
std::string_view EntryFilename(std::string_view rest, int version) {
  if (version == 1) return rest;
  // Skip ext fields up to the token that starts with ':'.
  while (!rest.empty() && rest.front() != ':') {
    size_t sp = rest.find(' ');
    if (sp == std::string_view::npos) return {};
    rest.remove_prefix(sp + 1);
  }
  if (rest.empty()) return {};
  return rest.substr(1);
}

}  // namespace

std::string_view DovecotBasename(std::string_view filename) {
  size_t colon = filename.rfind(':');
  if (colon != std::string_view::npos && filename.substr(colon + 1, 2) == "2,") {
    return filename.substr(0, colon);
  }
  return filename;
}

Result<DovecotUidList> ParseDovecotUidList(std::string_view data, size_t max_entries) {
  ROOST_ASSIGN_OR_RETURN(auto lines, SplitLines(data, kWhat, kMaxSideFileLine, max_entries + 1));
  if (lines.empty()) return Status::Corruption("dovecot-uidlist: empty file");
  DovecotUidList out;
  ROOST_RETURN_IF_ERROR(ParseHeader(lines[0], out));
  std::unordered_set<std::string_view> seen;
  uint32_t last = 0;
  for (size_t i = 1; i < lines.size(); ++i) {
    size_t sp = lines[i].find(' ');
    if (sp == std::string_view::npos) return LineError(kWhat, i + 1, "expected '<uid> ...'");
    auto uid = ParseU32(lines[i].substr(0, sp));
    if (!uid || *uid == 0) return LineError(kWhat, i + 1, "bad uid");
    if (*uid <= last) return LineError(kWhat, i + 1, "uids not ascending");
    if (*uid >= out.uids.nextuid) return LineError(kWhat, i + 1, "uid not below nextuid");
    std::string_view base = DovecotBasename(EntryFilename(lines[i].substr(sp + 1), out.version));
    if (base.empty()) return LineError(kWhat, i + 1, "missing filename");
    if (base.find('/') != std::string_view::npos || base.find('\0') != std::string_view::npos) {
      return LineError(kWhat, i + 1, "filename contains '/' or NUL");
    }
    if (!seen.insert(base).second) return LineError(kWhat, i + 1, "duplicate filename");
    last = *uid;
    out.uids.entries.push_back(UidEntry{*uid, std::string(base)});
  }
  return out;
}

}  // namespace roost::storage::maildir
