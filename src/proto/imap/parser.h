// CommandParser: the sans-IO IMAP command parser over one complete frame.
//
// The framer (proto/common/line_framer.h) has already gathered the line and
// its literals; this class reads "tag SP command" and then hands each
// command a cursor over its arguments (RFC 9051 §9 grammar, simplified the
// way dovecot's imap-parser is: one generic token grammar, each command
// checks the shape it needs):
//
//   atom     1*ATOM-CHAR, plus "]", "%", "*" and "\" (flags, sequence sets,
//            LIST patterns). A bracketed part ("BODY[HEADER.FIELDS (A B)]",
//            "BINARY.PEEK[1]<0.10>") belongs to the atom, spaces and parens
//            included; the command parses the section spec itself.
//   NIL      the atom NIL, any case (still readable as an astring).
//   quoted   "..." with \\ and \" escapes, unescaped for the caller.
//   literal  {n}, {n+}, ~{n}, ~{n+} then the line ending and n bytes taken
//            from the frame.
//   list     "(" tokens separated by SP ")", nested at most max_depth.
//
// Tokens are separated by exactly one SP; one trailing SP at the end of the
// line is tolerated (some clients send it). Errors are InvalidArgument
// statuses whose message is safe to show the client ("Missing tag",
// "Invalid characters in atom", "Unterminated quoted string", "List too
// deep"), meant for "tag BAD <message>".
//
// Views returned point into the frame bytes or into storage the parser
// owns (unescaped quoted strings): they live as long as both.
//
// Thread affinity: a value used by one command on its session's strand.
#pragma once

#include <cstddef>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/ascii.h"
#include "base/result.h"

namespace roost::proto::imap {

struct ParserLimits {
  // Nesting of parenthesised lists. FETCH and SEARCH need 3 or 4; 16 leaves
  // room and keeps recursion shallow.
  size_t max_depth = 16;
  // Tokens in one command, nested ones included. Bounds the token tree a
  // single line (max_line bytes) can make us build.
  size_t max_tokens = 4096;
};

struct Token {
  enum class Kind { kAtom, kNil, kQuoted, kLiteral, kList };
  Kind kind = Kind::kAtom;
  // Atom or NIL as written, quoted string unescaped, literal contents.
  std::string_view text;
  bool binary = false;          // literal8 (~{n})
  std::vector<Token> children;  // kList only

  bool IsString() const { return kind == Kind::kQuoted || kind == Kind::kLiteral; }
};

struct CommandLine {
  std::string_view tag;
  std::string_view name;  // as the client wrote it; compare case-insensitively
};

class CommandParser {
 public:
  // REQUIRES: `frame_bytes` outlives the parser and every view it returns.
  explicit CommandParser(std::string_view frame_bytes, ParserLimits limits = {})
      : in_(frame_bytes), limits_(limits) {}
  CommandParser(const CommandParser&) = delete;
  CommandParser& operator=(const CommandParser&) = delete;

  // Reads "tag SP name". Call once, first; the cursor is then before the
  // first argument.
  Result<CommandLine> ReadCommandLine();

  // True when no argument is left.
  bool AtEnd() const;
  // OK at the end, else "Unexpected arguments".
  Status ExpectEnd() const;
  // True when the next argument starts with "(" (optional lists, e.g. the
  // flag list of APPEND).
  bool NextIsList() const;

  // Each reads one argument (after its separating SP) of the given shape.
  Result<std::string_view> NextAtom();     // atom (NIL included)
  Result<std::string_view> NextString();   // quoted or literal
  Result<std::string_view> NextAString();  // atom, quoted or literal
  // quoted or literal; NIL gives nullopt.
  Result<std::optional<std::string_view>> NextNString();
  Result<std::vector<Token>> NextList();  // a parenthesised list's items
  Result<Token> NextToken();              // whatever comes

  // Every remaining argument (SEARCH-style commands, fuzzing).
  Result<std::vector<Token>> RemainingTokens();

 private:
  Status BeginArgument();
  Result<Token> ParseToken(size_t depth);
  Result<Token> ParseList(size_t depth);
  Result<Token> ParseQuoted();
  Result<Token> ParseLiteral();
  Result<Token> ParseAtom();
  // After a token: SP, end of line, or ")" inside a list must follow.
  Status CheckFollower(bool in_list) const;

  std::string_view in_;
  ParserLimits limits_;
  size_t pos_ = 0;
  size_t tokens_ = 0;
  std::deque<std::string> owned_;  // unescaped quoted strings; stable addresses
};

}  // namespace roost::proto::imap
