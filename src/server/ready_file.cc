#include "server/ready_file.h"

#include <cstdio>

#include <fmt/format.h>

#include "base/file_util.h"

namespace roost::server {
namespace {

// Names and addresses never need more than this, but escape anyway so the
// file stays valid JSON whatever a future listener name allows.
std::string JsonString(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      out += fmt::format("\\u{:04x}", c);
    } else {
      out += c;
    }
  }
  out += '"';
  return out;
}

}  // namespace

std::string ReadyJson(const ReadyInfo& info) {
  std::string listeners;
  for (const auto& [name, address] : info.listeners) {
    if (!listeners.empty()) listeners += ',';
    listeners += fmt::format("{}:{}", JsonString(name), JsonString(address));
  }
  return fmt::format("{{\"pid\":{},\"backend\":{},\"listeners\":{{{}}}}}\n", info.pid, JsonString(info.backend),
                     listeners);
}

Status WriteReadyFile(const std::string& path, const ReadyInfo& info) {
  // Readers poll for the file and must never see half of it; it need not
  // survive a crash, so nothing is fsynced.
  return ReplaceFileAtomically(path, ReadyJson(info), {.mode = 0644, .sync_file = false, .sync_dir = false});
}

}  // namespace roost::server
