#include "proto/common/line_framer.h"

#include <algorithm>
#include <cstring>
#include <limits>
#include <optional>

namespace roost::proto {
namespace {

// Tags longer than this are not echoed back in error replies: nothing
// legitimate needs them and the reply should stay small.
constexpr size_t kMaxEchoedTag = 256;
// Bytes of a skipped line remembered to spot a literal marker at its end:
// "~{" + 20 digits + "+}" fits.
constexpr size_t kSkipTail = 32;

// RFC 9051 §9: tag = 1*<any ASTRING-CHAR except "+">. ASTRING-CHAR is
// ATOM-CHAR or "]"; ATOM-CHAR excludes "(" ")" "{" SP CTL "%" "*" DQUOTE "\"
// and "]".
bool IsTagChar(char c) {
  if (c <= 0x20 || c >= 0x7f) return false;
  return std::strchr("(){%*\"\\+", c) == nullptr;
}

// The tag to report with an error frame, from the start of the frame. Only
// the first max_line + 1 bytes are looked at (all that an over-long line
// keeps), and a first word that fills them is not a tag we can trust to be
// whole: the answer must not depend on how the input was split.
std::string ErrorTag(std::string_view frame, size_t max_line) {
  std::string_view head = frame.substr(0, max_line + 1);
  std::string_view tag = ReadableTag(head);
  if (tag.size() == head.size()) return {};
  return std::string(tag);
}

}  // namespace

bool ParseTrailingLiteralMarker(std::string_view line, LiteralMarker* marker) {
  if (line.empty() || line.back() != '}') return false;
  size_t end = line.size() - 1;  // index of '}'
  bool sync = true;
  if (end > 0 && line[end - 1] == '+') {
    sync = false;
    --end;
  }
  size_t digits_end = end;
  while (end > 0 && line[end - 1] >= '0' && line[end - 1] <= '9') --end;
  if (end == digits_end || end == 0 || line[end - 1] != '{') return false;
  LiteralMarker m;
  m.sync = sync;
  m.binary = end >= 2 && line[end - 2] == '~';
  for (size_t i = end; i < digits_end; ++i) {
    uint64_t digit = static_cast<uint64_t>(line[i] - '0');
    if (m.size > (std::numeric_limits<uint64_t>::max() - digit) / 10) {
      m.overflow = true;
      m.size = std::numeric_limits<uint64_t>::max();
      break;
    }
    m.size = m.size * 10 + digit;
  }
  *marker = m;
  return true;
}

std::string_view ReadableTag(std::string_view line) {
  size_t i = 0;
  while (i < line.size() && line[i] != ' ') {
    if (!IsTagChar(line[i]) || i >= kMaxEchoedTag) return {};
    ++i;
  }
  return line.substr(0, i);
}

net::FramerStep ImapFramer::Step(std::string_view input) {
  net::FramerStep step;
  size_t pos = 0;
  while (pos < input.size()) {
    bool decided = false;
    switch (phase_) {
      case Phase::kLine: decided = StepLine(input, &pos, &step); break;
      case Phase::kLiteral: decided = StepLiteral(input, &pos); break;
      case Phase::kSkip: decided = StepSkip(input, &pos, &step); break;
      case Phase::kDead: pos = input.size(); break;
    }
    if (decided) {
      step.consumed = pos;
      return step;
    }
  }
  step.kind = net::FramerStep::Kind::kNeedMore;
  step.consumed = pos;
  return step;
}

bool ImapFramer::Idle() const {
  return phase_ == Phase::kDead || (phase_ == Phase::kLine && frame_.empty());
}

bool ImapFramer::StepLine(std::string_view input, size_t* pos, net::FramerStep* step) {
  const size_t start = *pos;
  const void* nl = std::memchr(input.data() + start, '\n', input.size() - start);
  if (nl == nullptr) {
    frame_.append(input.substr(start));
    *pos = input.size();
    // Over the limit even if the last byte turns out to be the CR of CRLF:
    // give up on the line now rather than buffer it.
    if (line_bytes_ + (frame_.size() - segment_start_) > limits_.max_line + 1) {
      skip_tag_ = ErrorTag(frame_, limits_.max_line);
      // Only the current segment: a marker never spans a literal boundary.
      skip_tail_ = frame_.substr(std::max(segment_start_, frame_.size() - std::min(frame_.size(), kSkipTail)));
      frame_.clear();
      phase_ = Phase::kSkip;
    }
    return false;
  }
  const size_t lf = static_cast<size_t>(static_cast<const char*>(nl) - input.data());
  frame_.append(input.substr(start, lf - start));
  *pos = lf + 1;
  std::string_view ending = "\n";
  if (frame_.size() > segment_start_ && frame_.back() == '\r') {
    frame_.pop_back();
    ending = "\r\n";
  }
  if (line_bytes_ + (frame_.size() - segment_start_) > limits_.max_line) {
    std::string_view segment = std::string_view(frame_).substr(segment_start_);
    LiteralMarker marker;
    bool fatal = ParseTrailingLiteralMarker(segment, &marker) && !marker.sync;
    EmitError(net::FrameError::Kind::kLineTooLong, fatal, ErrorTag(frame_, limits_.max_line), step);
    return true;
  }
  return EndOfLine(ending, step);
}

bool ImapFramer::StepLiteral(std::string_view input, size_t* pos) {
  size_t n = static_cast<size_t>(std::min<uint64_t>(literal_left_, input.size() - *pos));
  frame_.append(input.substr(*pos, n));
  *pos += n;
  literal_left_ -= n;
  if (literal_left_ == 0) {
    phase_ = Phase::kLine;
    segment_start_ = frame_.size();
  }
  return false;
}

bool ImapFramer::StepSkip(std::string_view input, size_t* pos, net::FramerStep* step) {
  const size_t start = *pos;
  const void* nl = std::memchr(input.data() + start, '\n', input.size() - start);
  size_t end = nl ? static_cast<size_t>(static_cast<const char*>(nl) - input.data()) : input.size();
  std::string_view piece = input.substr(start, end - start);
  if (piece.size() > kSkipTail) piece = piece.substr(piece.size() - kSkipTail);
  skip_tail_.append(piece);
  if (skip_tail_.size() > kSkipTail) skip_tail_.erase(0, skip_tail_.size() - kSkipTail);
  if (nl == nullptr) {
    *pos = input.size();
    return false;
  }
  *pos = end + 1;
  std::string_view tail = skip_tail_;
  if (!tail.empty() && tail.back() == '\r') tail.remove_suffix(1);
  LiteralMarker marker;
  bool fatal = ParseTrailingLiteralMarker(tail, &marker) && !marker.sync;
  EmitError(net::FrameError::Kind::kLineTooLong, fatal, std::move(skip_tag_), step);
  return true;
}

bool ImapFramer::EndOfLine(std::string_view ending, net::FramerStep* step) {
  std::string_view segment = std::string_view(frame_).substr(segment_start_);
  LiteralMarker marker;
  if (ParseTrailingLiteralMarker(segment, &marker)) return StartLiteral(marker, ending, step);
  step->kind = net::FramerStep::Kind::kFrame;
  step->frame.bytes = std::move(frame_);
  Reset();
  return true;
}

bool ImapFramer::StartLiteral(const LiteralMarker& marker, std::string_view ending, net::FramerStep* step) {
  line_bytes_ += frame_.size() - segment_start_;
  ++literals_;
  std::optional<net::FrameError::Kind> error;
  if (marker.overflow || marker.size > limits_.max_literal) {
    error = net::FrameError::Kind::kLiteralTooLarge;
  } else if (literals_ > limits_.max_literals) {
    error = net::FrameError::Kind::kTooManyLiterals;
  } else if (frame_.size() + ending.size() + marker.size > limits_.max_frame) {
    error = net::FrameError::Kind::kFrameTooLarge;
  }
  if (error) {
    // A synchronising literal is never sent without our "+": refusing it
    // costs nothing (RFC 7889 §4). Non-synchronising bytes are already on
    // the way and would be read as commands, so the connection must go.
    EmitError(*error, !marker.sync, ErrorTag(frame_, limits_.max_line), step);
    return true;
  }
  frame_.append(ending);
  // Bounded by the limits just checked; saves reallocations on APPEND.
  frame_.reserve(frame_.size() + marker.size);
  literal_left_ = marker.size;
  if (literal_left_ > 0) {
    phase_ = Phase::kLiteral;
  } else {
    segment_start_ = frame_.size();
  }
  if (!marker.sync) return false;
  step->kind = net::FramerStep::Kind::kContinuation;
  step->continuation = std::string(kContinuation);
  return true;
}

void ImapFramer::EmitError(net::FrameError::Kind kind, bool fatal, std::string tag, net::FramerStep* step) {
  step->kind = net::FramerStep::Kind::kFrame;
  step->frame.bytes.clear();
  step->frame.error = net::FrameError{.kind = kind, .fatal = fatal, .tag = std::move(tag)};
  Reset();
  if (fatal) phase_ = Phase::kDead;
}

void ImapFramer::Reset() {
  // Drop the buffer of a huge frame rather than keep its capacity around.
  if (frame_.capacity() > 64 * 1024) {
    std::string().swap(frame_);
  } else {
    frame_.clear();
  }
  phase_ = Phase::kLine;
  segment_start_ = 0;
  line_bytes_ = 0;
  literal_left_ = 0;
  literals_ = 0;
  skip_tag_.clear();
  skip_tail_.clear();
}

}  // namespace roost::proto
