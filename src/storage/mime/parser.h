// MimeParser: a streaming, bounded MIME parser (RFC 5322, RFC 2045-2049)
// that produces the MessageStructure IMAP FETCH needs.
//
// Why hand-written rather than gmime/mimetic/vmime:
//  - IMAP has exact semantics a general library does not expose: part
//    offsets in CRLF coordinates for LF-stored Maildir files (RFC822.SIZE,
//    BODY[n]<partial>), the CRLF before a boundary belonging to the
//    boundary, body-fld-lines, the ENVELOPE address shape with group
//    markers, section numbering through message/rfc822.
//  - Hard caps: every limit in MimeLimits holds for any input, time is
//    linear in the message size, and memory is bounded by the header cap,
//    not by the message. Libraries build full DOMs and recurse without
//    bounds.
//  - No I/O: the caller feeds bytes it read (from a file, an APPEND
//    literal, a socket) in any chunking; the parser never owns the message.
//    Feeding one byte at a time gives the same result as one big chunk.
//
// What it keeps: the current line's first kLinePrefixCap bytes and the
// header block of the part being parsed (up to MimeLimits::max_header_bytes;
// the rest of an oversized header is counted but not kept). Body bytes are
// only scanned for boundaries.
//
// Boundaries (RFC 2046 §5.1.1) match exactly: "--" boundary, optionally
// "--", then only whitespace to the end of the line. The innermost
// enclosing boundary is tried first, and an outer boundary also closes
// every part inside it (missing close delimiters are common).
//
// Malformed input is structure, not an error: a header without the blank
// line ends at the first line that is neither a field nor a continuation
// (that line starts the body); a part ended by a boundary or by the end of
// input while still in its header has an empty body; NUL and 8-bit bytes
// are data. Past MimeLimits::max_depth or max_parts, containers become
// opaque text/plain leaves (Part::opaque) and MessageStructure records
// which cap was hit.
//
// Thread affinity: one parser per message, used by one thread at a time.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "storage/mime/mime_limits.h"
#include "storage/mime/structure.h"

namespace roost::storage::mime {

class MimeParser {
 public:
  // Bytes of each line kept for classification (field name, boundary).
  static constexpr size_t kLinePrefixCap = 1024;

  explicit MimeParser(const MimeLimits& limits = MimeLimits());
  MimeParser(const MimeParser&) = delete;
  MimeParser& operator=(const MimeParser&) = delete;

  // REQUIRES: Finish() has not been called.
  void Feed(std::string_view chunk);
  // Ends the input and hands over the structure. Fails only if called
  // twice; malformed mail still yields a structure.
  Result<MessageStructure> Finish();

 private:
  struct Pos {
    uint64_t raw = 0;
    uint64_t crlf = 0;
    uint64_t lf = 0;  // line feeds before this position
  };
  struct OpenPart {
    Part* part;
    size_t depth;
    bool in_digest;  // a child of multipart/digest (RFC 2046 §5.1.5)
    Pos body_start;
  };
  struct Bound {
    std::string boundary;
    size_t owner;  // index in open_
  };
  struct Line {
    Pos start;
    Pos content_end;           // before the line break
    std::string_view content;  // first kLinePrefixCap bytes, no line break
    bool complete;             // content holds the whole line
  };
  enum class State : unsigned char { kHeader, kBody };

  void Append(std::string_view seg);
  void EndLine(bool terminated);
  void Dispatch(const Line& line);
  bool MatchBoundary(const Line& line, size_t* index, bool* close);
  void OnBoundary(const Line& line, size_t index, bool close);
  bool IsFieldLine(const Line& line);
  void OnHeaderLine(const Line& line);
  void FinalizeHeader(Pos header_end, Pos body_start);
  void Descend(Pos at);
  void StartChild(Part* child, size_t depth, bool in_digest, Pos at);
  void ClosePart(OpenPart& op, Pos end, bool end_at_line_start);
  void CloseDeeperThan(size_t index, Pos end, bool end_at_line_start, Pos header_end);
  void MakeOpaque(Part* p);

  MimeLimits limits_;
  MessageStructure result_;
  std::vector<OpenPart> open_;
  std::vector<Bound> bounds_;
  State state_ = State::kHeader;
  bool finished_ = false;

  // Header block of open_.back() while state_ == kHeader.
  std::string header_;
  Pos header_start_;
  bool header_truncated_ = false;

  // Current line.
  Pos pos_;
  Pos line_start_;
  std::string prefix_;
  size_t line_header_bytes_ = 0;  // bytes of this line appended to header_
  bool overflow_nonws_ = false;   // non-whitespace past the prefix
  bool line_cr_ = false;          // the byte before the '\n' was '\r'
  bool last_cr_ = false;

  // Previous line, whose line break belongs to a following boundary.
  Pos prev_start_;
  Pos prev_content_end_;
};

// Parses a whole message held in memory.
Result<MessageStructure> ParseMessage(std::string_view message, const MimeLimits& limits = MimeLimits());

}  // namespace roost::storage::mime
