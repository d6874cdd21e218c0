// The admin listener's HTTP/1.x request parsing, sans-IO.
//
// HttpFramer cuts the byte stream into request heads (request line and
// header fields up to the blank line, RFC 9112 §2.1), at most
// kMaxHeadBytes each. The admin endpoints take no bodies, so anything after
// the head is simply the next frame (which the handler ignores: it closes
// after one response). ParseHttpRequest turns one head into the method,
// path and version it needs to answer.
//
// Thread affinity: HttpFramer belongs to one connection (IO thread only);
// ParseHttpRequest is a pure function.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "base/result.h"
#include "net/protocol.h"

namespace roost::server {

// Generous for curl and Prometheus, small enough that a peer cannot make
// us hold much.
inline constexpr size_t kMaxHeadBytes = 8 * 1024;

class HttpFramer final : public net::Framer {
 public:
  net::FramerStep Step(std::string_view input) override;
  // The admin listener keeps its own fixed bound (kMaxHeadBytes): IMAP's
  // line limits say nothing about HTTP heads.
  void SetLimits(const FrameLimits& limits) override {}
  bool Idle() const override { return head_.empty(); }

 private:
  std::string head_;     // the current head so far (the caller drops consumed bytes)
  size_t line_len_ = 0;  // non-CR/LF bytes since the last LF
  bool fatal_ = false;   // after a too-long head, swallow everything
};

struct HttpRequest {
  std::string method;   // "GET"
  std::string path;     // "/metrics", without the query string
  int minor_version = 1;  // HTTP/1.<minor>
};

// Parses a head as produced by HttpFramer (no final blank line needed).
// Errors are InvalidArgument (answer 400) or NotSupported (answer 505).
Result<HttpRequest> ParseHttpRequest(std::string_view head);

}  // namespace roost::server
