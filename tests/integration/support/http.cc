#include "support/http.h"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>

#include <fmt/format.h>

#include "support/imap_conn.h"

namespace roost::itest {

Result<HttpResponse> HttpGet(uint16_t port, std::string_view path) {
  ROOST_ASSIGN_OR_RETURN(int fd, ConnectLoopback(port));
  std::string req = fmt::format(
      "GET {} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n", path);
  if (::send(fd, req.data(), req.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(req.size())) {
    ::close(fd);
    return Status::FromErrno(errno, "send(http)");
  }
  std::string raw;
  char buf[16384];
  // Read to EOF or to the end of Content-Length, whichever comes first.
  for (;;) {
    size_t head_end = raw.find("\r\n\r\n");
    if (head_end != std::string::npos) {
      size_t cl = raw.find("Content-Length:");
      if (cl == std::string::npos) cl = raw.find("content-length:");
      if (cl != std::string::npos && cl < head_end) {
        size_t len = std::strtoul(raw.c_str() + cl + 15, nullptr, 10);
        if (raw.size() >= head_end + 4 + len) break;
      }
    }
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 10'000) <= 0) {
      ::close(fd);
      return Status::Unavailable("HTTP read timed out");
    }
    ssize_t n = ::recv(fd, buf, sizeof(buf), 0);
    if (n <= 0) break;
    raw.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  size_t head_end = raw.find("\r\n\r\n");
  if (raw.compare(0, 9, "HTTP/1.1 ") != 0 && raw.compare(0, 9, "HTTP/1.0 ") != 0) {
    return Status::Corruption("not an HTTP response: " + raw.substr(0, 80));
  }
  if (head_end == std::string::npos) return Status::Corruption("HTTP response has no header end");
  HttpResponse resp;
  resp.status = std::atoi(raw.c_str() + 9);
  resp.body = raw.substr(head_end + 4);
  return resp;
}

std::optional<double> MetricValue(std::string_view text, std::string_view name,
                                  std::string_view label) {
  std::optional<double> sum;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t eol = text.find('\n', pos);
    if (eol == std::string_view::npos) eol = text.size();
    std::string_view line = text.substr(pos, eol - pos);
    pos = eol + 1;
    if (line.empty() || line[0] == '#') continue;
    if (line.substr(0, name.size()) != name) continue;
    std::string_view rest = line.substr(name.size());
    std::string_view labels;
    if (!rest.empty() && rest[0] == '{') {
      size_t close = rest.find('}');
      if (close == std::string_view::npos) continue;
      labels = rest.substr(0, close + 1);
      rest = rest.substr(close + 1);
    }
    if (rest.empty() || rest[0] != ' ') continue;  // a longer metric name
    if (!label.empty() && labels.find(label) == std::string_view::npos) continue;
    sum = sum.value_or(0) + std::strtod(std::string(rest.substr(1)).c_str(), nullptr);
  }
  return sum;
}

}  // namespace roost::itest
