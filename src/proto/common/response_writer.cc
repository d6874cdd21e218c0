#include "proto/common/response_writer.h"

#include <cstring>

namespace roost::proto {
namespace {

// ASTRING-CHAR (RFC 9051 §9): ATOM-CHAR or "]".
bool IsAStringChar(char c) {
  if (c <= 0x20 || c >= 0x7f) return false;
  return std::strchr("(){%*\"\\", c) == nullptr;
}

bool EqualsNil(std::string_view v) {
  return v.size() == 3 && (v[0] | 0x20) == 'n' && (v[1] | 0x20) == 'i' && (v[2] | 0x20) == 'l';
}

}  // namespace

std::string_view CondName(Cond cond) {
  switch (cond) {
    case Cond::kOk: return "OK";
    case Cond::kNo: return "NO";
    case Cond::kBad: return "BAD";
  }
  return "BAD";
}

void ResponseWriter::Untagged(std::string_view text) {
  buffer_ += "* ";
  buffer_ += text;
  buffer_ += "\r\n";
  MaybeFlush();
}

void ResponseWriter::Tagged(std::string_view tag, Cond cond, std::string_view code, std::string_view text) {
  buffer_ += tag;
  buffer_ += ' ';
  buffer_ += CondName(cond);
  if (!code.empty()) {
    buffer_ += " [";
    buffer_ += code;
    buffer_ += ']';
  }
  buffer_ += ' ';
  buffer_ += text;
  buffer_ += "\r\n";
  MaybeFlush();
}

void ResponseWriter::Continuation(std::string_view text) {
  buffer_ += "+ ";
  buffer_ += text;
  buffer_ += "\r\n";
  MaybeFlush();
}

void ResponseWriter::Raw(std::string_view bytes) {
  buffer_ += bytes;
  MaybeFlush();
}

void ResponseWriter::MaybeFlush() {
  if (buffer_.size() >= chunk_) Flush();
}

void ResponseWriter::Flush() {
  if (buffer_.empty()) return;
  std::string out;
  out.swap(buffer_);
  handle_->Write(std::move(out));
}

bool CanQuote(std::string_view value) {
  if (value.size() > kMaxQuotedLength) return false;
  for (char c : value) {
    auto u = static_cast<unsigned char>(c);
    if (u == 0 || u == '\r' || u == '\n' || u >= 0x80) return false;
  }
  return true;
}

void AppendString(std::string& out, std::string_view value) {
  if (!CanQuote(value)) {
    out += '{';
    out += std::to_string(value.size());
    out += "}\r\n";
    out += value;
    return;
  }
  out += '"';
  for (char c : value) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  out += '"';
}

void AppendAString(std::string& out, std::string_view value) {
  bool atom = !value.empty() && !EqualsNil(value);
  for (size_t i = 0; atom && i < value.size(); ++i) atom = IsAStringChar(value[i]);
  if (atom) {
    out += value;
  } else {
    AppendString(out, value);
  }
}

void AppendNString(std::string& out, std::optional<std::string_view> value) {
  if (!value) {
    out += "NIL";
    return;
  }
  AppendString(out, *value);
}

}  // namespace roost::proto
