#include "storage/maildir/courier_pop3_sizelist.h"

#include <cstdio>

namespace roost::storage::maildir {
namespace {

constexpr std::string_view kWhat = "courierpop3dsizelist";

Status ParseHeader(std::string_view line, Pop3SizeList& out) {
  auto f = SplitFields(line, 0);
  if (f[0] == "/3") {
    out.version = 3;
  } else if (f[0] == "/2") {
    out.version = 2;
  } else if (f[0].size() > 1 && f[0][0] == '/' && ParseU64(f[0].substr(1))) {
    return Status::NotSupported("courierpop3dsizelist: unsupported version " + std::string(f[0]));
  } else {
    return LineError(kWhat, 1, "bad header");
  }
  if (f.size() != 2 && f.size() != 3) return LineError(kWhat, 1, "header needs nextuid [uidv]");
  auto next = ParseU64(f[1]);
  if (!next) return LineError(kWhat, 1, "bad nextuid");
  out.nextuid = *next;
  out.uidv_present = f.size() == 3;
  if (out.uidv_present) {
    auto uidv = ParseU64(f[2]);
    if (!uidv) return LineError(kWhat, 1, "bad uidv");
    out.uidv = *uidv;
  }
  return Status::Ok();
}

// "<uid>:<uidv>[:<isutf8>]"
bool ParseUidField(std::string_view s, Pop3SizeEntry& e) {
  size_t c1 = s.find(':');
  if (c1 == std::string_view::npos) return false;
  size_t c2 = s.find(':', c1 + 1);
  auto uid = ParseU64(s.substr(0, c1));
  auto uidv = ParseU64(s.substr(c1 + 1, c2 == std::string_view::npos ? std::string_view::npos
                                                                        : c2 - c1 - 1));
  if (!uid || !uidv) return false;
  e.uid = *uid;
  e.uidv = *uidv;
  if (c2 != std::string_view::npos) {
    std::string_view flag = s.substr(c2 + 1);
    if (flag != "0" && flag != "1") return false;
    e.utf8 = flag == "1";
  }
  return true;
}

// "<filename> <size> <uid>:<uidv>[:<isutf8>]", split from the right so a
// filename may hold spaces. False if the line is unusable.
bool ParseEntry(std::string_view line, Pop3SizeEntry& e) {
  size_t sp2 = line.rfind(' ');
  if (sp2 == std::string_view::npos || sp2 == 0) return false;
  size_t sp1 = line.rfind(' ', sp2 - 1);
  if (sp1 == std::string_view::npos || sp1 == 0) return false;
  std::string_view name = line.substr(0, sp1);
  if (name.find_first_of(std::string_view("/\0", 2)) != std::string_view::npos) return false;
  auto size = ParseU64(line.substr(sp1 + 1, sp2 - sp1 - 1));
  if (!size || !ParseUidField(line.substr(sp2 + 1), e)) return false;
  e.filename = std::string(name);
  e.size = *size;
  return true;
}

}  // namespace

Result<Pop3SizeList> ParsePop3SizeList(std::string_view data, size_t max_entries) {
  ROOST_ASSIGN_OR_RETURN(auto lines, SplitLines(data, kWhat, kMaxSideFileLine, max_entries + 1));
  if (lines.empty()) return Status::Corruption("courierpop3dsizelist: empty file");
  Pop3SizeList out;
  ROOST_RETURN_IF_ERROR(ParseHeader(lines[0], out));
  out.entries.reserve(lines.size() - 1);
  for (size_t i = 1; i < lines.size(); ++i) {
    Pop3SizeEntry e;
    if (ParseEntry(lines[i], e)) {
      out.entries.push_back(std::move(e));
    } else {
      ++out.dropped;
    }
  }
  return out;
}

std::string FormatPop3SizeList(const Pop3SizeList& list) {
  std::string out = "/3 " + std::to_string(list.nextuid) + " " + std::to_string(list.uidv) + "\n";
  for (const auto& e : list.entries) {
    out += e.filename;
    out += ' ';
    out += std::to_string(e.size);
    out += ' ';
    out += std::to_string(e.uid);
    out += ':';
    out += std::to_string(e.uidv);
    out += e.utf8 ? ":1\n" : ":0\n";
  }
  return out;
}

std::string FormatUidl(uint64_t uid, uint64_t uidv) {
  std::string out = "UID" + std::to_string(uid);
  if (uidv != 0) out += "-" + std::to_string(uidv);
  return out;
}

std::string FormatLegacyUidl(std::string_view filename) {
  size_t colon = filename.find(':');  // pop3dserver.c: up to the first MDIRSEP
  if (colon != std::string_view::npos) filename = filename.substr(0, colon);
  std::string out;
  for (char ch : filename) {
    auto c = static_cast<unsigned char>(ch);
    if (c < 0x21 || c > 0x7E || c == '\'' || c == '"' || c == '+') {
      char buf[4];
      std::snprintf(buf, sizeof(buf), "+%02X", c);
      out += buf;
    } else {
      out.push_back(ch);
    }
  }
  return out;
}

}  // namespace roost::storage::maildir
