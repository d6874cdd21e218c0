#include "server/ready_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>

#include <fmt/format.h>

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
  const std::string tmp = path + ".tmp";
  const std::string json = ReadyJson(info);
  int fd = open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return Status::FromErrno(errno, fmt::format("open({})", tmp));
  size_t done = 0;
  while (done < json.size()) {
    ssize_t n = write(fd, json.data() + done, json.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int err = errno;
      close(fd);
      return Status::FromErrno(err, fmt::format("write({})", tmp));
    }
    done += static_cast<size_t>(n);
  }
  if (close(fd) != 0) return Status::FromErrno(errno, fmt::format("close({})", tmp));
  if (rename(tmp.c_str(), path.c_str()) != 0) {
    return Status::FromErrno(errno, fmt::format("rename({}, {})", tmp, path));
  }
  return Status::Ok();
}

}  // namespace roost::server
