// ImapFramer: the sans-IO framer for IMAP (and any protocol with IMAP-style
// literals): bytes in, whole command frames out.
//
// A frame is one command line plus the literals it announces. A line that
// ends with a literal marker continues after the literal's bytes:
//
//   {n}     synchronising literal (RFC 9051 §4.3): the client waits for a
//           continuation, so the framer emits kContinuation "+ OK\r\n"
//           before it consumes the literal bytes.
//   {n+}    non-synchronising literal (LITERAL+ / LITERAL-, RFC 7888): the
//           bytes follow at once.
//   ~{n}    literal8 (BINARY, RFC 3516 §4.2), synchronising.
//   ~{n+}   literal8, non-synchronising.
//
// "{n-}" is not a literal marker (RFC 7888 LITERAL- still uses "{n+}"); it
// stays plain text for the parser to reject.
//
// Frame bytes are exactly what arrived (line text, markers, the line ending
// after each marker, literal contents) minus the final line ending. Lines
// end with CRLF; a bare LF is accepted too, as Courier and Dovecot do.
// The framer does not know about quoting, so a line that ends with "{3}"
// inside an unterminated quoted string is still taken as a literal marker;
// such a line is invalid anyway and the parser rejects the frame.
//
// Limits (FrameLimits) and what breaking them does:
//   max_line      line text of a frame (literal contents excluded). The rest
//                 of the line is skipped and a non-fatal kLineTooLong error
//                 frame carries the tag if it was readable. If the skipped
//                 line announced a non-synchronising literal, the error is
//                 fatal: its bytes would otherwise be read as commands.
//   max_literal,  for a synchronising literal: a non-fatal error frame
//   max_frame,    (kLiteralTooLarge / kFrameTooLarge / kTooManyLiterals)
//   max_literals  and no continuation, so the client sends no literal
//                 bytes and none are consumed (RFC 7889 §4). For a
//                 non-synchronising literal the error is fatal: the bytes
//                 are on their way and cannot be told apart from commands.
// After a fatal error the framer swallows all further input.
//
// The same input split at any byte boundary gives the same steps' frames
// and continuations (tests/unit/proto/line_framer_test.cc checks it byte by
// byte, as dovecot's test-imap-parser does).
//
// Thread affinity: owned by one Connection, IO thread only.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/limits.h"
#include "net/protocol.h"

namespace roost::proto {

// A literal marker found at the end of a line, e.g. "~{12+}".
struct LiteralMarker {
  uint64_t size = 0;
  bool overflow = false;  // the digits did not fit in 64 bits
  bool sync = true;       // "{n}" as opposed to "{n+}"
  bool binary = false;    // "~{n}"
};

// Parses a literal marker at the very end of `line` (no line ending).
// Returns false when the line does not end with one. Shared with the
// parser so both agree on what a marker is.
bool ParseTrailingLiteralMarker(std::string_view line, LiteralMarker* marker);

// The tag of a command line: its first word, when it is a valid IMAP tag
// (RFC 9051 §9: 1*<any ASTRING-CHAR except "+">). Empty if not readable.
std::string_view ReadableTag(std::string_view line);

class ImapFramer final : public net::Framer {
 public:
  explicit ImapFramer(const FrameLimits& limits) : limits_(limits) {}

  net::FramerStep Step(std::string_view input) override;
  void SetLimits(const FrameLimits& limits) override { limits_ = limits; }
  bool Idle() const override;

  // The continuation sent for a synchronising literal.
  static constexpr std::string_view kContinuation = "+ OK\r\n";

 private:
  enum class Phase {
    kLine,     // collecting line text up to LF
    kLiteral,  // copying literal_left_ bytes of literal content
    kSkip,     // discarding an over-long line up to LF
    kDead,     // after a fatal error: discard everything
  };

  // Each handler consumes from `input` starting at *pos and returns true
  // when `step` holds a decision to return (a frame or a continuation).
  bool StepLine(std::string_view input, size_t* pos, net::FramerStep* step);
  bool StepLiteral(std::string_view input, size_t* pos);
  bool StepSkip(std::string_view input, size_t* pos, net::FramerStep* step);
  // A whole line segment [segment_start_, frame_.size()) has arrived with
  // `ending` ("\n" or "\r\n"): finish the frame or start a literal.
  bool EndOfLine(std::string_view ending, net::FramerStep* step);
  bool StartLiteral(const LiteralMarker& marker, std::string_view ending, net::FramerStep* step);
  void EmitError(net::FrameError::Kind kind, bool fatal, std::string tag, net::FramerStep* step);
  void Reset();

  FrameLimits limits_;
  Phase phase_ = Phase::kLine;
  std::string frame_;          // the frame so far
  size_t segment_start_ = 0;   // where the current line segment starts in frame_
  uint64_t line_bytes_ = 0;    // line text in completed segments of this frame
  uint64_t literal_left_ = 0;  // kLiteral: bytes still to copy
  size_t literals_ = 0;        // literals announced in this frame
  // kSkip: the tag to report, and the tail of the skipped line (to spot a
  // non-synchronising literal marker at its end).
  std::string skip_tag_;
  std::string skip_tail_;
};

}  // namespace roost::proto
