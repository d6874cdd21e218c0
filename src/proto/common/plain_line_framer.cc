#include "proto/common/plain_line_framer.h"

#include <cstring>

namespace roost::proto {

net::FramerStep PlainLineFramer::Step(std::string_view input) {
  net::FramerStep step;
  const void* nl = std::memchr(input.data(), '\n', input.size());
  if (nl == nullptr) {
    step.consumed = input.size();
    if (!skipping_) {
      line_.append(input);
      // Too long even if the last byte is the CR of CRLF.
      if (line_.size() > max_line_ + 1) {
        skipping_ = true;
        line_.clear();
      }
    }
    return step;
  }
  const size_t lf = static_cast<size_t>(static_cast<const char*>(nl) - input.data());
  step.consumed = lf + 1;
  step.kind = net::FramerStep::Kind::kFrame;
  if (!skipping_) line_.append(input.substr(0, lf));
  if (!line_.empty() && line_.back() == '\r') line_.pop_back();
  if (skipping_ || line_.size() > max_line_) {
    step.frame.error = net::FrameError{.kind = net::FrameError::Kind::kLineTooLong, .fatal = false, .tag = {}};
  } else {
    step.frame.bytes = std::move(line_);
  }
  line_.clear();
  skipping_ = false;
  return step;
}

}  // namespace roost::proto
