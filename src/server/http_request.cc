#include "server/http_request.h"

#include <algorithm>

#include <fmt/format.h>

namespace roost::server {

net::FramerStep HttpFramer::Step(std::string_view input) {
  net::FramerStep step;
  if (fatal_) {
    step.consumed = input.size();
    return step;
  }
  for (size_t i = 0; i < input.size(); ++i) {
    const char c = input[i];
    head_.push_back(c);
    if (head_.size() > kMaxHeadBytes) {
      fatal_ = true;
      head_.clear();
      step.kind = net::FramerStep::Kind::kFrame;
      step.consumed = i + 1;
      step.frame.error = net::FrameError{.kind = net::FrameError::Kind::kLineTooLong, .fatal = true, .tag = {}};
      return step;
    }
    if (c == '\r') continue;
    if (c != '\n') {
      ++line_len_;
      continue;
    }
    const bool blank_line = line_len_ == 0;
    line_len_ = 0;
    if (!blank_line) continue;
    // RFC 9112 §2.2: ignore empty lines received before the request line.
    if (head_.find_first_not_of("\r\n") == std::string::npos) {
      head_.clear();
      continue;
    }
    head_.erase(head_.find_last_not_of("\r\n") + 1);
    step.kind = net::FramerStep::Kind::kFrame;
    step.consumed = i + 1;
    step.frame.bytes = std::move(head_);
    head_.clear();
    return step;
  }
  step.consumed = input.size();
  return step;
}

namespace {

// RFC 9110 §5.6.2 tchar.
bool IsTokenChar(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

// Splits off the first line, accepting CRLF or a bare LF.
std::string_view NextLine(std::string_view& rest) {
  size_t lf = rest.find('\n');
  std::string_view line = rest.substr(0, lf);
  rest = lf == std::string_view::npos ? std::string_view() : rest.substr(lf + 1);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

// The path of an origin-form or absolute-form target (RFC 9112 §3.2),
// without the query.
Result<std::string> TargetPath(std::string_view target) {
  if (target.starts_with("http://") || target.starts_with("https://")) {
    size_t slash = target.find('/', target.find("//") + 2);
    target = slash == std::string_view::npos ? std::string_view("/") : target.substr(slash);
  }
  if (target.empty() || target.front() != '/') {
    return Status::InvalidArgument(fmt::format("bad request target '{}'", target));
  }
  return std::string(target.substr(0, target.find_first_of("?#")));
}

Result<int> ParseVersion(std::string_view version) {
  if (version == "HTTP/1.1") return 1;
  if (version == "HTTP/1.0") return 0;
  if (version.size() == 8 && version.starts_with("HTTP/") && isdigit(version[5]) && version[6] == '.' &&
      isdigit(version[7])) {
    return Status::NotSupported(fmt::format("unsupported version {}", version));
  }
  return Status::InvalidArgument("bad HTTP version");
}

}  // namespace

Result<HttpRequest> ParseHttpRequest(std::string_view head) {
  std::string_view rest = head;
  std::string_view line = NextLine(rest);
  // request-line = method SP request-target SP HTTP-version (RFC 9112 §3)
  size_t sp1 = line.find(' ');
  size_t sp2 = sp1 == std::string_view::npos ? sp1 : line.find(' ', sp1 + 1);
  if (sp2 == std::string_view::npos || line.find(' ', sp2 + 1) != std::string_view::npos) {
    return Status::InvalidArgument("malformed request line");
  }
  std::string_view method = line.substr(0, sp1);
  if (method.empty() || !std::all_of(method.begin(), method.end(), IsTokenChar)) {
    return Status::InvalidArgument("bad method");
  }
  HttpRequest request;
  request.method = std::string(method);
  ROOST_ASSIGN_OR_RETURN(request.path, TargetPath(line.substr(sp1 + 1, sp2 - sp1 - 1)));
  ROOST_ASSIGN_OR_RETURN(request.minor_version, ParseVersion(line.substr(sp2 + 1)));
  while (!rest.empty()) {
    std::string_view field = NextLine(rest);
    if (field.empty()) continue;
    // RFC 9112 §5.2: obsolete line folding may be rejected with 400.
    if (field.front() == ' ' || field.front() == '\t') return Status::InvalidArgument("obsolete line folding");
    size_t colon = field.find(':');
    if (colon == 0 || colon == std::string_view::npos ||
        !std::all_of(field.begin(), field.begin() + colon, IsTokenChar)) {
      return Status::InvalidArgument("malformed header field");
    }
  }
  return request;
}

}  // namespace roost::server
