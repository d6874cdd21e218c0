#include "proto/imap/parser.h"

#include <string>

#include <gtest/gtest.h>

namespace roost::proto::imap {
namespace {

std::string ErrorOf(std::string_view bytes) {
  CommandParser parser(bytes);
  auto line = parser.ReadCommandLine();
  if (!line) return std::string(line.error().message());
  auto tokens = parser.RemainingTokens();
  if (!tokens) return std::string(tokens.error().message());
  return "";
}

// Renders tokens compactly: atom a, NIL, "quoted", {literal}, (list).
std::string Render(const std::vector<Token>& tokens) {
  std::string out;
  for (const Token& t : tokens) {
    if (!out.empty()) out += ' ';
    switch (t.kind) {
      case Token::Kind::kAtom: out += t.text; break;
      case Token::Kind::kNil: out += "NIL"; break;
      case Token::Kind::kQuoted: out += "\"" + std::string(t.text) + "\""; break;
      case Token::Kind::kLiteral: out += (t.binary ? "~{" : "{") + std::string(t.text) + "}"; break;
      case Token::Kind::kList: out += "(" + Render(t.children) + ")"; break;
    }
  }
  return out;
}

std::string Tokens(std::string_view bytes) {
  CommandParser parser(bytes);
  auto line = parser.ReadCommandLine();
  if (!line) return "error: " + std::string(line.error().message());
  auto tokens = parser.RemainingTokens();
  if (!tokens) return "error: " + std::string(tokens.error().message());
  return Render(*tokens);
}

TEST(ParserTest, TagAndCommandName) {
  CommandParser parser("a001 capability");
  auto line = parser.ReadCommandLine();
  ASSERT_TRUE(line.has_value());
  EXPECT_EQ(line->tag, "a001");
  EXPECT_EQ(line->name, "capability");
  EXPECT_TRUE(parser.AtEnd());
  EXPECT_TRUE(parser.ExpectEnd().ok());
}

TEST(ParserTest, CommandLineErrors) {
  EXPECT_EQ(ErrorOf(""), "Missing tag");
  EXPECT_EQ(ErrorOf(" NOOP"), "Missing tag");
  EXPECT_EQ(ErrorOf("a1"), "Missing command");
  EXPECT_EQ(ErrorOf("a1 "), "Missing command");
  EXPECT_EQ(ErrorOf("a1  NOOP"), "Missing command");
  EXPECT_EQ(ErrorOf("a+1 NOOP"), "Invalid characters in tag");
  EXPECT_EQ(ErrorOf("a\"1 NOOP"), "Invalid characters in tag");
  EXPECT_EQ(ErrorOf("a1 NO(OP"), "Invalid characters in command name");
}

TEST(ParserTest, Atoms) {
  EXPECT_EQ(Tokens("a SELECT INBOX"), "INBOX");
  EXPECT_EQ(Tokens("a STORE 1:*,5 +FLAGS \\Seen"), "1:*,5 +FLAGS \\Seen");
  EXPECT_EQ(Tokens("a LIST \"\" %/*"), "\"\" %/*");
  EXPECT_EQ(Tokens("a X nil Nil"), "NIL NIL");
}

TEST(ParserTest, SectionSpecsStayAtoms) {
  EXPECT_EQ(Tokens("a FETCH 1 (BODY.PEEK[HEADER.FIELDS (FROM TO)]<0.100> UID)"),
            "1 (BODY.PEEK[HEADER.FIELDS (FROM TO)]<0.100> UID)");
  EXPECT_EQ(Tokens("a FETCH 1 BODY[]"), "1 BODY[]");
  EXPECT_EQ(ErrorOf("a FETCH 1 BODY[TEXT"), "Missing ']'");
}

TEST(ParserTest, QuotedStrings) {
  EXPECT_EQ(Tokens(R"(a LOGIN "bob" "p a\"s\\s")"), R"("bob" "p a"s\s")");
  EXPECT_EQ(Tokens(R"(a X "")"), R"("")");
  EXPECT_EQ(ErrorOf(R"(a LOGIN "bob)"), "Unterminated quoted string");
  EXPECT_EQ(ErrorOf(R"(a LOGIN "b\ob")"), "Invalid escape in quoted string");
  EXPECT_EQ(ErrorOf("a LOGIN \"b\r\nob\""), "Unterminated quoted string");
  EXPECT_EQ(ErrorOf(R"(a LOGIN "bob"x)"), "Missing space after argument");
}

TEST(ParserTest, Literals) {
  EXPECT_EQ(Tokens("a LOGIN {3}\r\nbob {4+}\npass"), "{bob} {pass}");
  EXPECT_EQ(Tokens("a APPEND box ~{3}\r\nx\ny"), "box ~{x\ny}");
  EXPECT_EQ(Tokens("a X {0}\r\n"), "{}");
  EXPECT_EQ(Tokens("a X ({2}\r\nab {1}\r\nc)"), "({ab} {c})");
  EXPECT_EQ(ErrorOf("a X {5}\r\nab"), "Literal truncated");
  EXPECT_EQ(ErrorOf("a X {5} y"), "Literal must end the line");
  EXPECT_EQ(ErrorOf("a X {5-}"), "Invalid literal size");
  EXPECT_EQ(ErrorOf("a X {}"), "Invalid literal size");
  EXPECT_EQ(ErrorOf(std::string("a X {3}\r\na\0b", 12)), "NUL in literal");
  EXPECT_EQ(Tokens(std::string("a X ~{3}\r\na\0b", 13)), std::string("~{a\0b}", 6));
}

TEST(ParserTest, Lists) {
  EXPECT_EQ(Tokens("a X () (a (b \"c\") NIL)"), "() (a (b \"c\") NIL)");
  EXPECT_EQ(ErrorOf("a X (a b"), "Unterminated list");
  EXPECT_EQ(ErrorOf("a X a)"), "Unexpected ')'");
  EXPECT_EQ(ErrorOf("a X (a  b)"), "Unexpected space");
  EXPECT_EQ(ErrorOf("a X (a )"), "Unexpected space");
}

TEST(ParserTest, DepthLimit) {
  std::string ok = "a X " + std::string(16, '(') + std::string(16, ')');
  EXPECT_EQ(ErrorOf(ok), "");
  std::string deep = "a X " + std::string(17, '(') + std::string(17, ')');
  EXPECT_EQ(ErrorOf(deep), "List too deep");
  // Far deeper than the limit must fail cleanly, not overflow the stack.
  EXPECT_EQ(ErrorOf("a X " + std::string(100000, '(')), "List too deep");
}

TEST(ParserTest, TokenLimit) {
  ParserLimits limits;
  limits.max_tokens = 3;
  CommandParser parser("a X 1 (2 3)", limits);
  ASSERT_TRUE(parser.ReadCommandLine().has_value());
  auto tokens = parser.RemainingTokens();
  ASSERT_FALSE(tokens.has_value());
  EXPECT_EQ(tokens.error().message(), "Too many arguments");
}

TEST(ParserTest, InvalidAtomCharacters) {
  EXPECT_EQ(ErrorOf("a X ab\x01"), "Invalid characters in atom");
  EXPECT_EQ(ErrorOf("a X \xc3\xa9"), "Invalid characters in atom");
  EXPECT_EQ(ErrorOf("a X ab{3"), "Invalid characters in atom");
}

TEST(ParserTest, Spacing) {
  EXPECT_EQ(Tokens("a NOOP "), "");  // one trailing space tolerated
  EXPECT_EQ(ErrorOf("a X  b"), "Unexpected space");
  EXPECT_EQ(ErrorOf("a X b  "), "Unexpected space");
}

TEST(ParserTest, CursorApi) {
  CommandParser parser("a APPEND \"INBOX\" (\\Seen) {5}\r\nhello NIL atom");
  ASSERT_TRUE(parser.ReadCommandLine().has_value());
  auto mailbox = parser.NextAString();
  ASSERT_TRUE(mailbox.has_value());
  EXPECT_EQ(*mailbox, "INBOX");
  EXPECT_TRUE(parser.NextIsList());
  auto flags = parser.NextList();
  ASSERT_TRUE(flags.has_value());
  ASSERT_EQ(flags->size(), 1u);
  EXPECT_EQ((*flags)[0].text, "\\Seen");
  EXPECT_FALSE(parser.NextIsList());
  auto message = parser.NextString();
  ASSERT_TRUE(message.has_value());
  EXPECT_EQ(*message, "hello");
  auto nil = parser.NextNString();
  ASSERT_TRUE(nil.has_value());
  EXPECT_FALSE(nil->has_value());
  auto atom = parser.NextAtom();
  ASSERT_TRUE(atom.has_value());
  EXPECT_EQ(*atom, "atom");
  EXPECT_TRUE(parser.AtEnd());
  auto missing = parser.NextAtom();
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().message(), "Missing argument");
}

TEST(ParserTest, CursorTypeErrors) {
  CommandParser parser("a X \"q\" (l) atom");
  ASSERT_TRUE(parser.ReadCommandLine().has_value());
  EXPECT_EQ(parser.NextAtom().error().message(), "Expected atom");
  EXPECT_EQ(parser.NextAString().error().message(), "Expected string");
  EXPECT_EQ(parser.NextString().error().message(), "Expected string");
  EXPECT_TRUE(parser.ExpectEnd().ok());
  CommandParser extra("a NOOP extra");
  ASSERT_TRUE(extra.ReadCommandLine().has_value());
  EXPECT_EQ(extra.ExpectEnd().message(), "Unexpected arguments");
}

TEST(ParserTest, AStringAcceptsNilAsText) {
  CommandParser parser("a SELECT nil");
  ASSERT_TRUE(parser.ReadCommandLine().has_value());
  auto name = parser.NextAString();
  ASSERT_TRUE(name.has_value());
  EXPECT_EQ(*name, "nil");
}

}  // namespace
}  // namespace roost::proto::imap
