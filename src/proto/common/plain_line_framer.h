// PlainLineFramer: the framer for line-only protocols (POP3, RFC 1939 §3;
// the ManageSieve-free admin shells): one frame per line, no literals.
//
// Lines end with CRLF or a bare LF; the frame is the line without its
// ending. A line longer than max_line is skipped up to its LF and reported
// as a non-fatal kLineTooLong error frame (POP3 has no tags, so the tag is
// empty). Only max_line of FrameLimits applies.
//
// Thread affinity: owned by one Connection, IO thread only.
#pragma once

#include <string>
#include <string_view>

#include "base/limits.h"
#include "net/protocol.h"

namespace roost::proto {

class PlainLineFramer final : public net::Framer {
 public:
  explicit PlainLineFramer(const FrameLimits& limits) : max_line_(limits.max_line) {}

  net::FramerStep Step(std::string_view input) override;
  void SetLimits(const FrameLimits& limits) override { max_line_ = limits.max_line; }
  bool Idle() const override { return !skipping_ && line_.empty(); }

 private:
  size_t max_line_;
  std::string line_;       // the partial line
  bool skipping_ = false;  // discarding an over-long line up to its LF
};

}  // namespace roost::proto
