#include "proto/imap/parser.h"

#include <cstring>
#include <limits>

namespace roost::proto::imap {
namespace {

Status Syntax(std::string_view message) { return Status::InvalidArgument(message); }

// RFC 9051 §9 tag: ASTRING-CHAR except "+".
bool IsTagChar(char c) {
  if (c <= 0x20 || c >= 0x7f) return false;
  return std::strchr("(){%*\"\\+", c) == nullptr;
}

// ATOM-CHAR plus the characters our generic atoms also carry: "]"
// (ASTRING-CHAR), "%" and "*" (list-wildcards, sequence sets) and "\"
// (flags such as \Seen).
bool IsAtomChar(char c) {
  if (c <= 0x20 || c >= 0x7f) return false;
  return std::strchr("(){\"", c) == nullptr;
}

// Inside "[...]" of a section spec: any printable ASCII, spaces, parens and
// quotes included (HEADER.FIELDS ("From" To)), but not a literal.
bool IsSectionChar(char c) { return c >= 0x20 && c < 0x7f && c != '{'; }

}  // namespace

Result<CommandLine> CommandParser::ReadCommandLine() {
  CommandLine line;
  size_t i = 0;
  while (i < in_.size() && in_[i] != ' ') {
    if (!IsTagChar(in_[i])) return Syntax("Invalid characters in tag");
    ++i;
  }
  if (i == 0) return Syntax("Missing tag");
  line.tag = in_.substr(0, i);
  if (i == in_.size() || i + 1 == in_.size() || in_[i + 1] == ' ') return Syntax("Missing command");
  size_t start = ++i;
  while (i < in_.size() && in_[i] != ' ') {
    if (!IsAtomChar(in_[i])) return Syntax("Invalid characters in command name");
    ++i;
  }
  line.name = in_.substr(start, i - start);
  pos_ = i;
  return line;
}

bool CommandParser::AtEnd() const { return pos_ >= in_.size() || (pos_ + 1 == in_.size() && in_[pos_] == ' '); }

Status CommandParser::ExpectEnd() const { return AtEnd() ? Status::Ok() : Syntax("Unexpected arguments"); }

bool CommandParser::NextIsList() const { return !AtEnd() && pos_ + 1 < in_.size() && in_[pos_ + 1] == '('; }

Status CommandParser::BeginArgument() {
  if (AtEnd()) return Syntax("Missing argument");
  if (in_[pos_] != ' ') return Syntax("Missing space before argument");
  ++pos_;
  if (in_[pos_] == ' ') return Syntax("Unexpected space");
  return Status::Ok();
}

Status CommandParser::CheckFollower(bool in_list) const {
  if (pos_ >= in_.size() || in_[pos_] == ' ') return Status::Ok();
  if (in_[pos_] == ')') return in_list ? Status::Ok() : Syntax("Unexpected ')'");
  return Syntax("Missing space after argument");
}

Result<Token> CommandParser::NextToken() {
  ROOST_RETURN_IF_ERROR(BeginArgument());
  ROOST_ASSIGN_OR_RETURN(Token token, ParseToken(0));
  ROOST_RETURN_IF_ERROR(CheckFollower(false));
  return token;
}

Result<std::string_view> CommandParser::NextAtom() {
  ROOST_ASSIGN_OR_RETURN(Token token, NextToken());
  if (token.kind != Token::Kind::kAtom && token.kind != Token::Kind::kNil) return Syntax("Expected atom");
  return token.text;
}

Result<std::string_view> CommandParser::NextString() {
  ROOST_ASSIGN_OR_RETURN(Token token, NextToken());
  if (!token.IsString()) return Syntax("Expected string");
  return token.text;
}

Result<std::string_view> CommandParser::NextAString() {
  ROOST_ASSIGN_OR_RETURN(Token token, NextToken());
  if (token.kind == Token::Kind::kList) return Syntax("Expected string");
  return token.text;
}

Result<std::optional<std::string_view>> CommandParser::NextNString() {
  ROOST_ASSIGN_OR_RETURN(Token token, NextToken());
  if (token.kind == Token::Kind::kNil) return std::optional<std::string_view>();
  if (!token.IsString()) return Syntax("Expected string or NIL");
  return std::optional<std::string_view>(token.text);
}

Result<std::vector<Token>> CommandParser::NextList() {
  ROOST_ASSIGN_OR_RETURN(Token token, NextToken());
  if (token.kind != Token::Kind::kList) return Syntax("Expected list");
  return std::move(token.children);
}

Result<std::vector<Token>> CommandParser::RemainingTokens() {
  std::vector<Token> tokens;
  while (!AtEnd()) {
    ROOST_ASSIGN_OR_RETURN(Token token, NextToken());
    tokens.push_back(std::move(token));
  }
  return tokens;
}

Result<Token> CommandParser::ParseToken(size_t depth) {
  if (++tokens_ > limits_.max_tokens) return Syntax("Too many arguments");
  if (pos_ >= in_.size()) return Syntax("Missing argument");
  switch (in_[pos_]) {
    case '(': return ParseList(depth + 1);
    case ')': return Syntax("Unexpected ')'");
    case '"': return ParseQuoted();
    case '{': return ParseLiteral();
    case '~':
      if (pos_ + 1 < in_.size() && in_[pos_ + 1] == '{') return ParseLiteral();
      return ParseAtom();
    default: return ParseAtom();
  }
}

Result<Token> CommandParser::ParseList(size_t depth) {
  if (depth > limits_.max_depth) return Syntax("List too deep");
  ++pos_;  // "("
  Token list;
  list.kind = Token::Kind::kList;
  if (pos_ < in_.size() && in_[pos_] == ')') {
    ++pos_;
    return list;
  }
  while (true) {
    ROOST_ASSIGN_OR_RETURN(Token item, ParseToken(depth));
    list.children.push_back(std::move(item));
    if (pos_ >= in_.size()) return Syntax("Unterminated list");
    if (in_[pos_] == ')') {
      ++pos_;
      return list;
    }
    if (in_[pos_] != ' ') return Syntax("Missing space after argument");
    ++pos_;
    if (pos_ < in_.size() && (in_[pos_] == ' ' || in_[pos_] == ')')) return Syntax("Unexpected space");
  }
}

Result<Token> CommandParser::ParseQuoted() {
  const size_t start = ++pos_;  // after the opening quote
  bool escaped = false;
  for (size_t i = start; i < in_.size(); ++i) {
    char c = in_[i];
    if (c == '\r' || c == '\n') return Syntax("Unterminated quoted string");
    if (c == '\0') return Syntax("Invalid characters in quoted string");
    if (c == '\\') {
      if (i + 1 >= in_.size() || (in_[i + 1] != '\\' && in_[i + 1] != '"')) {
        return Syntax("Invalid escape in quoted string");
      }
      escaped = true;
      ++i;
      continue;
    }
    if (c != '"') continue;
    Token token;
    token.kind = Token::Kind::kQuoted;
    std::string_view raw = in_.substr(start, i - start);
    pos_ = i + 1;
    if (!escaped) {
      token.text = raw;
      return token;
    }
    std::string& out = owned_.emplace_back();
    out.reserve(raw.size());
    for (size_t j = 0; j < raw.size(); ++j) {
      if (raw[j] == '\\') ++j;
      out.push_back(raw[j]);
    }
    token.text = out;
    return token;
  }
  return Syntax("Unterminated quoted string");
}

Result<Token> CommandParser::ParseLiteral() {
  Token token;
  token.kind = Token::Kind::kLiteral;
  if (in_[pos_] == '~') {
    token.binary = true;
    ++pos_;
  }
  ++pos_;  // "{"
  uint64_t size = 0;
  size_t digits = 0;
  while (pos_ < in_.size() && in_[pos_] >= '0' && in_[pos_] <= '9') {
    uint64_t digit = static_cast<uint64_t>(in_[pos_] - '0');
    if (size > (std::numeric_limits<uint64_t>::max() - digit) / 10) return Syntax("Invalid literal size");
    size = size * 10 + digit;
    ++pos_;
    ++digits;
  }
  if (digits == 0) return Syntax("Invalid literal size");
  if (pos_ < in_.size() && in_[pos_] == '+') ++pos_;
  if (pos_ >= in_.size() || in_[pos_] != '}') return Syntax("Invalid literal size");
  ++pos_;
  // The framer keeps the line ending after a marker as received.
  if (pos_ < in_.size() && in_[pos_] == '\r') ++pos_;
  if (pos_ >= in_.size() || in_[pos_] != '\n') return Syntax("Literal must end the line");
  ++pos_;
  if (size > in_.size() - pos_) return Syntax("Literal truncated");
  token.text = in_.substr(pos_, static_cast<size_t>(size));
  pos_ += static_cast<size_t>(size);
  // RFC 9051 §4.3: a literal is CHAR8 (no NUL); literal8 may hold NUL.
  if (!token.binary && token.text.find('\0') != std::string_view::npos) return Syntax("NUL in literal");
  return token;
}

Result<Token> CommandParser::ParseAtom() {
  const size_t start = pos_;
  while (pos_ < in_.size()) {
    char c = in_[pos_];
    if (c == ' ' || c == ')') break;
    if (c == '[') {
      size_t close = in_.find(']', pos_);
      if (close == std::string_view::npos) return Syntax("Missing ']'");
      for (size_t i = pos_ + 1; i < close; ++i) {
        if (!IsSectionChar(in_[i])) return Syntax("Invalid characters in atom");
      }
      pos_ = close + 1;
      continue;
    }
    if (!IsAtomChar(c)) return Syntax("Invalid characters in atom");
    ++pos_;
  }
  if (pos_ == start) return Syntax("Invalid characters in atom");
  Token token;
  token.text = in_.substr(start, pos_ - start);
  token.kind = AsciiEqualsIgnoreCase(token.text, "NIL") ? Token::Kind::kNil : Token::Kind::kAtom;
  return token;
}

}  // namespace roost::proto::imap
