#include "storage/mime/parser.h"

#include <cstring>

#include "storage/mime/header.h"
#include "storage/mime/part_header.h"
#include "storage/mime/transfer.h"

namespace roost::storage::mime {
namespace {

bool IsLwsp(char c) { return c == ' ' || c == '\t'; }

}  // namespace

MimeParser::MimeParser(const MimeLimits& limits) : limits_(limits) {
  result_.root = std::make_unique<Part>();
  result_.root->envelope = std::make_unique<Envelope>();
  result_.part_count = 1;
  open_.push_back(OpenPart{result_.root.get(), 0, false, Pos()});
  prefix_.reserve(kLinePrefixCap);
}

void MimeParser::Feed(std::string_view chunk) {
  if (finished_) return;
  while (!chunk.empty()) {
    const void* nl = std::memchr(chunk.data(), '\n', chunk.size());
    size_t n = nl ? static_cast<size_t>(static_cast<const char*>(nl) - chunk.data()) + 1 : chunk.size();
    Append(chunk.substr(0, n));
    if (nl) EndLine(true);
    chunk.remove_prefix(n);
  }
}

// Bytes of the current line; `seg` contains at most one '\n', at its end.
void MimeParser::Append(std::string_view seg) {
  result_.work += seg.size();
  bool ends_line = seg.back() == '\n';
  if (ends_line) line_cr_ = seg.size() >= 2 ? seg[seg.size() - 2] == '\r' : last_cr_;
  last_cr_ = seg.back() == '\r';
  pos_.raw += seg.size();
  pos_.crlf += seg.size() + (ends_line && !line_cr_ ? 1 : 0);  // bare LF counts as CRLF
  pos_.lf += ends_line ? 1 : 0;

  size_t keep = std::min(seg.size(), kLinePrefixCap - prefix_.size());
  prefix_.append(seg.substr(0, keep));
  if (keep < seg.size() && !overflow_nonws_) {
    for (char c : seg.substr(keep)) {
      if (!IsLwsp(c) && c != '\r' && c != '\n') {
        overflow_nonws_ = true;
        break;
      }
    }
  }
  if (state_ == State::kHeader) {
    size_t room = limits_.max_header_bytes - std::min(limits_.max_header_bytes, header_.size());
    size_t take = std::min(room, seg.size());
    if (take < seg.size()) header_truncated_ = true;
    header_.append(seg.substr(0, take));
    line_header_bytes_ += take;
  }
}

void MimeParser::EndLine(bool terminated) {
  Line line;
  line.start = line_start_;
  line.content_end = pos_;
  line.content_end.lf = line_start_.lf;
  if (terminated) {
    line.content_end.raw -= line_cr_ ? 2 : 1;
    line.content_end.crlf -= 2;
  }
  line.complete = line.content_end.raw - line.start.raw <= kLinePrefixCap;
  std::string_view content(prefix_);
  if (line.complete) content = content.substr(0, line.content_end.raw - line.start.raw);
  line.content = content;

  Dispatch(line);

  prev_start_ = line.start;
  prev_content_end_ = line.content_end;
  line_start_ = pos_;
  prefix_.clear();
  line_header_bytes_ = 0;
  overflow_nonws_ = false;
  line_cr_ = false;
}

void MimeParser::Dispatch(const Line& line) {
  size_t index;
  bool close;
  if (!bounds_.empty() && MatchBoundary(line, &index, &close)) {
    OnBoundary(line, index, close);
  } else if (state_ == State::kHeader) {
    OnHeaderLine(line);
  }
}

// RFC 2046 §5.1.1: "--" boundary ["--"] *LWSP-char, innermost first.
bool MimeParser::MatchBoundary(const Line& line, size_t* index, bool* close) {
  if (overflow_nonws_) return false;
  std::string_view c = line.content;
  if (c.size() < 3 || c[0] != '-' || c[1] != '-') return false;
  while (!c.empty() && (IsLwsp(c.back()) || c.back() == '\r')) c.remove_suffix(1);
  c.remove_prefix(2);
  for (size_t k = bounds_.size(); k-- > 0;) {
    std::string_view b = bounds_[k].boundary;
    ++result_.work;
    if (c.size() == b.size() && c == b) {
      *index = k;
      *close = false;
      result_.work += b.size();
      return true;
    }
    if (c.size() == b.size() + 2 && c.substr(b.size()) == "--" && c.substr(0, b.size()) == b) {
      *index = k;
      *close = true;
      result_.work += b.size();
      return true;
    }
  }
  return false;
}

// A line of a header block that is a field or a continuation. A line
// longer than the prefix counts as a field if its prefix is all name bytes.
bool MimeParser::IsFieldLine(const Line& line) {
  std::string_view c = line.content;
  if (c.empty()) return false;
  if (IsLwsp(c[0]) || FieldNameLength(c).has_value()) return true;
  if (line.complete) return false;
  for (char ch : c) {
    unsigned char u = static_cast<unsigned char>(ch);
    if (u <= 32 || u == 127 || ch == ':') return false;
  }
  return true;
}

void MimeParser::OnHeaderLine(const Line& line) {
  if (line.complete && line.content.empty()) {
    FinalizeHeader(pos_, pos_);  // the blank line belongs to the header
    Descend(pos_);
    return;
  }
  if (IsFieldLine(line)) return;
  // Not a field: the header ended without its blank line and this line is
  // the first of the body, or of an encapsulated message's header, and may
  // even be the first boundary of the multipart that just started.
  header_.resize(header_.size() - std::min(header_.size(), line_header_bytes_));
  line_header_bytes_ = 0;
  FinalizeHeader(line.start, line.start);
  Descend(line.start);
  if (state_ == State::kHeader) {
    size_t take = std::min(limits_.max_header_bytes, prefix_.size());
    header_.append(prefix_, 0, take);
    line_header_bytes_ = take;
  }
  Dispatch(line);
}

void MimeParser::FinalizeHeader(Pos header_end, Pos body_start) {
  OpenPart& op = open_.back();
  Part* p = op.part;
  p->header = Span{header_start_.raw, header_end.raw - header_start_.raw, header_start_.crlf,
                   header_end.crlf - header_start_.crlf};
  p->header_truncated = header_truncated_;
  ApplyHeaderBlock(header_, limits_, op.in_digest, p, p->envelope.get(), &result_.work);
  op.body_start = body_start;
  header_.clear();
  if (header_.capacity() > 64 * 1024) header_.shrink_to_fit();
  header_truncated_ = false;
  state_ = State::kBody;
}

// After a header: start looking inside the part if it is a container.
void MimeParser::Descend(Pos at) {
  OpenPart& op = open_.back();
  Part* p = op.part;
  bool deep = op.depth >= limits_.max_depth;
  if (p->type == "multipart") {
    const Param* b = p->params.Find("boundary");
    if (!b || b->value.empty() || b->value.size() > limits_.max_boundary) {
      MakeOpaque(p);
    } else if (deep) {
      result_.depth_capped = true;
      MakeOpaque(p);
    } else {
      bounds_.push_back(Bound{b->value, open_.size() - 1});
    }
    return;
  }
  if (p->type != "message" || (p->subtype != "rfc822" && p->subtype != "global")) return;
  TransferEncoding enc = ParseTransferEncoding(p->transfer_encoding);
  if (enc == TransferEncoding::kBase64 || enc == TransferEncoding::kQuotedPrintable ||
      enc == TransferEncoding::kUnknown) {
    MakeOpaque(p);  // RFC 2046 §5.2.1 forbids encoding message/rfc822
  } else if (deep) {
    result_.depth_capped = true;
    MakeOpaque(p);
  } else if (result_.part_count >= limits_.max_parts) {
    result_.parts_capped = true;
    MakeOpaque(p);
  } else {
    p->message = std::make_unique<Part>();
    p->message->envelope = std::make_unique<Envelope>();
    StartChild(p->message.get(), op.depth + 1, false, at);
  }
}

void MimeParser::StartChild(Part* child, size_t depth, bool in_digest, Pos at) {
  ++result_.part_count;
  open_.push_back(OpenPart{child, depth, in_digest, at});
  header_start_ = at;
  header_.clear();
  header_truncated_ = false;
  state_ = State::kHeader;
}

void MimeParser::OnBoundary(const Line& line, size_t index, bool close) {
  size_t owner = bounds_[index].owner;
  bool at_line_start = prev_content_end_.raw == prev_start_.raw;
  CloseDeeperThan(owner, prev_content_end_, at_line_start, line.start);
  bounds_.resize(close ? index : index + 1);
  state_ = State::kBody;  // preamble/epilogue of the owner unless a part starts
  if (close) return;
  OpenPart& op = open_[owner];
  if (result_.part_count >= limits_.max_parts) {
    result_.parts_capped = true;
    return;  // the rest stays inside the multipart's body
  }
  op.part->children.push_back(std::make_unique<Part>());
  StartChild(op.part->children.back().get(), op.depth + 1, op.part->subtype == "digest", pos_);
}

// Closes open_[index+1..] (deepest first) at `end`. A part still in its
// header gets the header up to `header_end` and an empty body.
void MimeParser::CloseDeeperThan(size_t index, Pos end, bool end_at_line_start, Pos header_end) {
  if (open_.size() <= index + 1) return;
  if (state_ == State::kHeader) {
    header_.resize(header_.size() - std::min(header_.size(), line_header_bytes_));
    line_header_bytes_ = 0;
    FinalizeHeader(header_end, header_end);
  }
  while (open_.size() > index + 1) {
    ClosePart(open_.back(), end, end_at_line_start);
    open_.pop_back();
  }
}

void MimeParser::ClosePart(OpenPart& op, Pos end, bool end_at_line_start) {
  Part* p = op.part;
  if (end.raw <= op.body_start.raw) {
    end = op.body_start;
    end_at_line_start = true;
  }
  p->body =
      Span{op.body_start.raw, end.raw - op.body_start.raw, op.body_start.crlf, end.crlf - op.body_start.crlf};
  p->body_lines = end.lf - op.body_start.lf + (end_at_line_start ? 0 : 1);
  // A container that never got content (no boundary line, or input ended
  // in its header) would not be renderable as one.
  bool is_message = p->type == "message" && (p->subtype == "rfc822" || p->subtype == "global");
  if (!p->opaque && ((p->type == "multipart" && p->children.empty()) || (is_message && !p->message))) {
    MakeOpaque(p);
  }
}

void MimeParser::MakeOpaque(Part* p) {
  p->opaque = true;
  p->declared_type = p->type + "/" + p->subtype;
  p->type = "text";
  p->subtype = "plain";
  p->params = ParamList();
}

Result<MessageStructure> MimeParser::Finish() {
  if (finished_) return Status::Internal("MimeParser::Finish called twice");
  // The last line is partial (and counts as a line) iff it has no break.
  bool at_line_start = pos_.raw == line_start_.raw;
  if (!at_line_start) EndLine(false);
  finished_ = true;
  if (state_ == State::kHeader) {
    line_header_bytes_ = 0;
    FinalizeHeader(pos_, pos_);
  }
  bounds_.clear();
  while (!open_.empty()) {
    ClosePart(open_.back(), pos_, at_line_start);
    open_.pop_back();
  }
  result_.size = pos_.raw;
  result_.crlf_size = pos_.crlf;
  result_.lines = pos_.lf + (at_line_start ? 0 : 1);
  return std::move(result_);
}

Result<MessageStructure> ParseMessage(std::string_view message, const MimeLimits& limits) {
  MimeParser parser(limits);
  parser.Feed(message);
  return parser.Finish();
}

}  // namespace roost::storage::mime
