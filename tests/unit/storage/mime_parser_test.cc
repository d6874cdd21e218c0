// MimeParser structure tests: offsets checked against substrings of the
// message, CRLF vs LF, chunking independence, malformed input.
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <string_view>

#include "storage/mime/header.h"
#include "storage/mime/parser.h"
#include "storage/mime/transfer.h"

namespace roost::storage::mime {
namespace {

MessageStructure Parse(std::string_view msg) {
  auto r = ParseMessage(msg);
  EXPECT_TRUE(r.has_value());
  return std::move(r).value();
}

std::string_view Slice(std::string_view msg, const Span& s) { return msg.substr(s.offset, s.size); }

// Bare LF -> CRLF, for comparing crlf coordinates.
std::string ToCrlf(std::string_view lf) {
  std::string out;
  for (char c : lf) {
    if (c == '\n') out.push_back('\r');
    out.push_back(c);
  }
  return out;
}

std::string ToLf(std::string_view crlf) {
  std::string out;
  for (size_t i = 0; i < crlf.size(); ++i) {
    if (crlf[i] == '\r' && i + 1 < crlf.size() && crlf[i + 1] == '\n') continue;
    out.push_back(crlf[i]);
  }
  return out;
}

constexpr std::string_view kSimple =
    "From: Alice <alice@example.com>\r\n"
    "To: bob@example.org\r\n"
    "Subject: Hello\r\n"
    " world\r\n"
    "Date: Mon, 1 Jan 2024 10:00:00 +0000\r\n"
    "Message-ID: <1@example.com>\r\n"
    "\r\n"
    "Hi Bob,\r\n"
    "bye\r\n";

TEST(MimeParserTest, SimpleTextMessage) {
  MessageStructure m = Parse(kSimple);
  const Part& root = *m.root;
  EXPECT_EQ(m.size, kSimple.size());
  EXPECT_EQ(m.crlf_size, kSimple.size());
  EXPECT_EQ(m.lines, 9u);
  EXPECT_EQ(root.type, "text");
  EXPECT_EQ(root.subtype, "plain");
  ASSERT_NE(root.params.Find("charset"), nullptr);
  EXPECT_EQ(root.params.Find("charset")->value, "us-ascii");  // RFC 2045 §5.2 default
  EXPECT_FALSE(root.has_content_type);
  std::string_view header = Slice(kSimple, root.header);
  EXPECT_TRUE(header.starts_with("From: Alice"));
  EXPECT_TRUE(header.ends_with("example.com>\r\n\r\n"));
  EXPECT_EQ(Slice(kSimple, root.body), "Hi Bob,\r\nbye\r\n");
  EXPECT_EQ(root.body_lines, 2u);
  ASSERT_NE(root.envelope, nullptr);
  const Envelope& e = *root.envelope;
  EXPECT_EQ(e.subject, "Hello world");
  EXPECT_EQ(e.date, "Mon, 1 Jan 2024 10:00:00 +0000");
  EXPECT_EQ(e.message_id, "<1@example.com>");
  EXPECT_FALSE(e.in_reply_to.has_value());
  ASSERT_EQ(e.from.addresses.size(), 1u);
  EXPECT_EQ(e.from.addresses[0].name, "Alice");
  EXPECT_EQ(e.from.addresses[0].mailbox, "alice");
  EXPECT_EQ(e.from.addresses[0].host, "example.com");
  EXPECT_TRUE(e.sender.addresses.empty());
  EXPECT_EQ(&e.SenderOrFrom(), &e.from);
  EXPECT_EQ(&e.ReplyToOrFrom(), &e.from);
  ASSERT_EQ(e.to.addresses.size(), 1u);
  EXPECT_EQ(e.to.addresses[0].mailbox, "bob");
}

constexpr std::string_view kMixed =
    "From: a@b.c\r\n"
    "Content-Type: multipart/mixed; boundary=\"XYZ\"\r\n"
    "\r\n"
    "preamble\r\n"
    "--XYZ\r\n"
    "Content-Type: text/plain; charset=utf-8\r\n"
    "\r\n"
    "Hello\r\n"
    "there\r\n"
    "--XYZ\r\n"
    "Content-Type: application/pdf; name=\"a.pdf\"\r\n"
    "Content-Transfer-Encoding: base64\r\n"
    "Content-Disposition: attachment; filename=\"a.pdf\"\r\n"
    "Content-ID: <part2@x>\r\n"
    "\r\n"
    "SGVsbG8g\r\n"
    "d29ybGQ=\r\n"
    "--XYZ--\r\n"
    "epilogue\r\n";

TEST(MimeParserTest, MultipartMixedWithBase64Attachment) {
  MessageStructure m = Parse(kMixed);
  const Part& root = *m.root;
  EXPECT_EQ(root.type, "multipart");
  EXPECT_EQ(root.subtype, "mixed");
  ASSERT_EQ(root.children.size(), 2u);
  EXPECT_EQ(m.part_count, 3u);
  const Part& text = *root.children[0];
  const Part& pdf = *root.children[1];
  EXPECT_EQ(Slice(kMixed, text.header), "Content-Type: text/plain; charset=utf-8\r\n\r\n");
  EXPECT_EQ(Slice(kMixed, text.body), "Hello\r\nthere");  // CRLF before boundary excluded
  EXPECT_EQ(text.body_lines, 2u);
  EXPECT_EQ(text.params.Find("charset")->value, "utf-8");
  EXPECT_EQ(Slice(kMixed, pdf.header).substr(0, 30), "Content-Type: application/pdf;");
  EXPECT_TRUE(Slice(kMixed, pdf.header).ends_with("Content-ID: <part2@x>\r\n\r\n"));
  EXPECT_EQ(Slice(kMixed, pdf.body), "SGVsbG8g\r\nd29ybGQ=");
  EXPECT_EQ(pdf.type, "application");
  EXPECT_EQ(pdf.subtype, "pdf");
  EXPECT_EQ(pdf.params.Find("name")->value, "a.pdf");
  EXPECT_EQ(pdf.transfer_encoding, "base64");
  EXPECT_EQ(pdf.disposition, "attachment");
  EXPECT_EQ(pdf.disposition_params.Find("filename")->value, "a.pdf");
  EXPECT_EQ(pdf.content_id, "<part2@x>");
  bool err = false;
  EXPECT_EQ(DecodeTransfer(ParseTransferEncoding(pdf.transfer_encoding), Slice(kMixed, pdf.body), &err),
            "Hello world");
  EXPECT_FALSE(err);
  // The multipart body runs from after its header to the end (preamble and
  // epilogue included): BODY[TEXT].
  EXPECT_TRUE(Slice(kMixed, root.body).starts_with("preamble\r\n--XYZ"));
  EXPECT_TRUE(Slice(kMixed, root.body).ends_with("--XYZ--\r\nepilogue\r\n"));
  EXPECT_EQ(root.body.offset + root.body.size, kMixed.size());
}

constexpr std::string_view kNested =
    "Content-Type: multipart/mixed; boundary=outer\r\n"
    "\r\n"
    "--outer\r\n"
    "Content-Type: multipart/alternative; boundary=inner\r\n"
    "\r\n"
    "--inner\r\n"
    "Content-Type: text/plain\r\n"
    "\r\n"
    "plain\r\n"
    "--inner\r\n"
    "Content-Type: text/html\r\n"
    "\r\n"
    "<p>html</p>\r\n"
    "--inner--\r\n"
    "--outer\r\n"
    "Content-Type: image/png\r\n"
    "\r\n"
    "PNG\r\n"
    "--outer--\r\n";

TEST(MimeParserTest, NestedAlternativeInsideMixed) {
  MessageStructure m = Parse(kNested);
  const Part& root = *m.root;
  ASSERT_EQ(root.children.size(), 2u);
  const Part& alt = *root.children[0];
  EXPECT_EQ(alt.subtype, "alternative");
  ASSERT_EQ(alt.children.size(), 2u);
  EXPECT_EQ(Slice(kNested, alt.children[0]->body), "plain");
  EXPECT_EQ(alt.children[0]->params.params.size(), 0u);  // explicit header, no params
  EXPECT_EQ(Slice(kNested, alt.children[1]->body), "<p>html</p>");
  EXPECT_EQ(alt.children[1]->subtype, "html");
  // The alternative's body ends before the CRLF preceding "--outer".
  EXPECT_TRUE(Slice(kNested, alt.body).starts_with("--inner\r\n"));
  EXPECT_TRUE(Slice(kNested, alt.body).ends_with("--inner--"));
  EXPECT_EQ(Slice(kNested, root.children[1]->body), "PNG");
  EXPECT_EQ(m.part_count, 5u);
}

constexpr std::string_view kRfc822 =
    "From: outer@example.com\r\n"
    "Subject: fwd\r\n"
    "Content-Type: multipart/mixed; boundary=b1\r\n"
    "\r\n"
    "--b1\r\n"
    "Content-Type: text/plain\r\n"
    "\r\n"
    "see attached\r\n"
    "--b1\r\n"
    "Content-Type: message/rfc822\r\n"
    "\r\n"
    "From: Inner Person <inner@example.net>\r\n"
    "Subject: inner subject\r\n"
    "Cc: undisclosed-recipients:;\r\n"
    "\r\n"
    "inner body\r\n"
    "line 2\r\n"
    "--b1--\r\n";

TEST(MimeParserTest, MessageRfc822AttachmentHasOwnEnvelope) {
  MessageStructure m = Parse(kRfc822);
  const Part& root = *m.root;
  EXPECT_EQ(root.envelope->subject, "fwd");
  ASSERT_EQ(root.children.size(), 2u);
  const Part& att = *root.children[1];
  EXPECT_EQ(att.type, "message");
  EXPECT_EQ(att.subtype, "rfc822");
  ASSERT_NE(att.message, nullptr);
  const Part& inner = *att.message;
  ASSERT_NE(inner.envelope, nullptr);
  EXPECT_EQ(inner.envelope->subject, "inner subject");
  ASSERT_EQ(inner.envelope->from.addresses.size(), 1u);
  EXPECT_EQ(inner.envelope->from.addresses[0].name, "Inner Person");
  EXPECT_EQ(inner.envelope->from.addresses[0].host, "example.net");
  ASSERT_EQ(inner.envelope->cc.addresses.size(), 2u);
  EXPECT_EQ(inner.envelope->cc.addresses[0].kind, Address::Kind::kGroupStart);
  EXPECT_EQ(inner.envelope->cc.addresses[1].kind, Address::Kind::kGroupEnd);
  EXPECT_TRUE(Slice(kRfc822, inner.header).starts_with("From: Inner Person"));
  EXPECT_TRUE(Slice(kRfc822, inner.header).ends_with("recipients:;\r\n\r\n"));
  EXPECT_EQ(Slice(kRfc822, inner.body), "inner body\r\nline 2");
  EXPECT_EQ(inner.type, "text");
  // The attachment's body is the whole encapsulated message.
  EXPECT_EQ(att.body.offset, inner.header.offset);
  EXPECT_EQ(att.body.size, inner.header.size + inner.body.size);
  EXPECT_EQ(att.body_lines, 6u);
}

TEST(MimeParserTest, DigestChildrenDefaultToMessageRfc822) {
  std::string msg =
      "Content-Type: multipart/digest; boundary=d\r\n\r\n"
      "--d\r\n\r\nSubject: one\r\n\r\nbody1\r\n"
      "--d--\r\n";
  MessageStructure m = Parse(msg);
  ASSERT_EQ(m.root->children.size(), 1u);
  const Part& c = *m.root->children[0];
  EXPECT_EQ(c.type, "message");
  EXPECT_EQ(c.subtype, "rfc822");
  ASSERT_NE(c.message, nullptr);
  EXPECT_EQ(c.message->envelope->subject, "one");
}

TEST(MimeParserTest, LfAndCrlfGiveSameStructureWithCrlfSizes) {
  for (std::string_view crlf : {kSimple, kMixed, kNested, kRfc822}) {
    std::string lf = ToLf(crlf);
    ASSERT_EQ(ToCrlf(lf), crlf);
    MessageStructure a = Parse(crlf);
    MessageStructure b = Parse(lf);
    EXPECT_EQ(b.crlf_size, crlf.size());
    EXPECT_EQ(b.size, lf.size());
    EXPECT_EQ(a.lines, b.lines);
    // Same tree; crlf coordinates of the LF file equal raw ones of CRLF.
    std::function<void(const Part&, const Part&)> same = [&](const Part& x, const Part& y) {
      EXPECT_EQ(x.type, y.type);
      EXPECT_EQ(x.subtype, y.subtype);
      EXPECT_EQ(x.header.offset, y.header.crlf_offset);
      EXPECT_EQ(x.header.size, y.header.crlf_size);
      EXPECT_EQ(x.body.offset, y.body.crlf_offset);
      EXPECT_EQ(x.body.size, y.body.crlf_size);
      EXPECT_EQ(x.body_lines, y.body_lines);
      EXPECT_EQ(ToCrlf(Slice(lf, y.body)), Slice(crlf, x.body));
      ASSERT_EQ(x.children.size(), y.children.size());
      for (size_t i = 0; i < x.children.size(); ++i) same(*x.children[i], *y.children[i]);
      ASSERT_EQ(x.message != nullptr, y.message != nullptr);
      if (x.message) same(*x.message, *y.message);
    };
    same(*a.root, *b.root);
  }
}

TEST(MimeParserTest, ByteAtATimeEqualsOneChunk) {
  for (std::string_view msg : {kSimple, kMixed, kNested, kRfc822}) {
    for (const std::string& variant : {std::string(msg), ToLf(msg)}) {
      std::string whole = DebugString(Parse(variant));
      MimeParser p;
      for (char c : variant) p.Feed(std::string_view(&c, 1));
      auto r = p.Finish();
      ASSERT_TRUE(r.has_value());
      EXPECT_EQ(DebugString(*r), whole);
      // Chunks of 7 bytes split CRLFs and boundaries at every offset.
      MimeParser q;
      for (size_t i = 0; i < variant.size(); i += 7) q.Feed(std::string_view(variant).substr(i, 7));
      auto r2 = q.Finish();
      ASSERT_TRUE(r2.has_value());
      EXPECT_EQ(DebugString(*r2), whole);
    }
  }
}

TEST(MimeParserTest, FinishTwiceFails) {
  MimeParser p;
  p.Feed(kSimple);
  ASSERT_TRUE(p.Finish().has_value());
  EXPECT_FALSE(p.Finish().has_value());
}

TEST(MimeParserTest, MissingFinalBoundaryRunsToEnd) {
  std::string msg =
      "Content-Type: multipart/mixed; boundary=b\r\n\r\n"
      "--b\r\nContent-Type: text/plain\r\n\r\nfirst\r\n"
      "--b\r\n\r\nsecond, never closed\r\n";
  MessageStructure m = Parse(msg);
  ASSERT_EQ(m.root->children.size(), 2u);
  EXPECT_EQ(Slice(msg, m.root->children[0]->body), "first");
  EXPECT_EQ(Slice(msg, m.root->children[1]->body), "second, never closed\r\n");
  EXPECT_EQ(m.root->children[1]->body_lines, 1u);
}

TEST(MimeParserTest, BoundaryLookalikesInBodyAreText) {
  std::string msg =
      "Content-Type: multipart/mixed; boundary=b\r\n\r\n"
      "--b\r\n\r\n"
      "--bb\r\n"          // longer: not the boundary
      " --b\r\n"          // not at line start
      "--b trailing\r\n"  // text after the boundary
      "x --b\r\n"
      "--b  \t\r\n"  // transport padding is allowed: this one counts
      "\r\nlast\r\n--b--\r\n";
  MessageStructure m = Parse(msg);
  ASSERT_EQ(m.root->children.size(), 2u);
  EXPECT_EQ(Slice(msg, m.root->children[0]->body), "--bb\r\n --b\r\n--b trailing\r\nx --b");
  EXPECT_EQ(Slice(msg, m.root->children[1]->body), "last");
}

TEST(MimeParserTest, OuterBoundaryClosesInnerParts) {
  std::string msg =
      "Content-Type: multipart/mixed; boundary=out\r\n\r\n"
      "--out\r\nContent-Type: multipart/alternative; boundary=in\r\n\r\n"
      "--in\r\n\r\nunterminated inner\r\n"
      "--out\r\n\r\nsecond outer\r\n--out--\r\n";
  MessageStructure m = Parse(msg);
  ASSERT_EQ(m.root->children.size(), 2u);
  ASSERT_EQ(m.root->children[0]->children.size(), 1u);
  EXPECT_EQ(Slice(msg, m.root->children[0]->children[0]->body), "unterminated inner");
  EXPECT_EQ(Slice(msg, m.root->children[1]->body), "second outer");
}

TEST(MimeParserTest, NoBlankLineAfterHeaders) {
  // Top level: the first non-field line starts the body.
  std::string msg = "Subject: x\r\nFrom: a@b\r\nThis is the body\r\nmore\r\n";
  MessageStructure m = Parse(msg);
  EXPECT_EQ(Slice(msg, m.root->header), "Subject: x\r\nFrom: a@b\r\n");
  EXPECT_EQ(Slice(msg, m.root->body), "This is the body\r\nmore\r\n");
  EXPECT_EQ(m.root->envelope->subject, "x");
  // A part whose header runs straight into the boundary, and a multipart
  // whose first boundary follows its header without a blank line.
  std::string mp =
      "Content-Type: multipart/mixed; boundary=b\r\n"
      "--b\r\n"
      "Content-Type: text/html\r\n"
      "--b\r\n"
      "\r\nok\r\n--b--\r\n";
  MessageStructure n = Parse(mp);
  ASSERT_EQ(n.root->children.size(), 2u);
  EXPECT_EQ(n.root->children[0]->subtype, "html");
  EXPECT_EQ(Slice(mp, n.root->children[0]->header), "Content-Type: text/html\r\n");
  EXPECT_EQ(n.root->children[0]->body.size, 0u);
  EXPECT_EQ(Slice(mp, n.root->children[1]->body), "ok");
  // Header only, no body at all.
  std::string only = "Subject: only\r\n";
  MessageStructure o = Parse(only);
  EXPECT_EQ(o.root->header.size, only.size());
  EXPECT_EQ(o.root->body.offset, only.size());
  EXPECT_EQ(o.root->body.size, 0u);
}

TEST(MimeParserTest, NulAndEightBitBytes) {
  using namespace std::string_literals;
  std::string msg =
      "Subject: caf\xc3\xa9 \xff\r\nX-Nul: a\0b\r\nFrom: J\xf6rg <j@x.de>\r\n\r\nbody\0with nul\r\n"s;
  ASSERT_EQ(msg.size(), 68u);
  MessageStructure m = Parse(msg);
  EXPECT_EQ(m.root->envelope->subject, "caf\xc3\xa9 \xff");
  ASSERT_EQ(m.root->envelope->from.addresses.size(), 1u);
  EXPECT_EQ(m.root->envelope->from.addresses[0].name, "J\xf6rg");
  EXPECT_EQ(Slice(msg, m.root->body), std::string_view("body\0with nul\r\n", 15));
  EXPECT_EQ(m.size, 68u);
}

TEST(MimeParserTest, MultipartWithoutBoundaryIsOpaque) {
  std::string msg = "Content-Type: multipart/mixed\r\n\r\n--x\r\n\r\nhi\r\n";
  MessageStructure m = Parse(msg);
  EXPECT_TRUE(m.root->opaque);
  EXPECT_EQ(m.root->declared_type, "multipart/mixed");
  EXPECT_EQ(m.root->type, "text");
  EXPECT_TRUE(m.root->children.empty());
  // A boundary that never appears: no children, so opaque too.
  std::string msg2 = "Content-Type: multipart/mixed; boundary=zz\r\n\r\nno parts\r\n";
  MessageStructure m2 = Parse(msg2);
  EXPECT_TRUE(m2.root->opaque);
  EXPECT_EQ(m2.root->body_lines, 1u);
}

TEST(MimeParserTest, Base64MessageRfc822IsOpaque) {
  std::string msg =
      "Content-Type: message/rfc822\r\nContent-Transfer-Encoding: base64\r\n\r\nU3ViamVjdDogeA0K\r\n";
  MessageStructure m = Parse(msg);
  EXPECT_TRUE(m.root->opaque);
  EXPECT_EQ(m.root->message, nullptr);
}

TEST(MimeParserTest, PartialLastLineCountsAsLine) {
  std::string msg = "Subject: s\n\nline1\nline2";
  MessageStructure m = Parse(msg);
  EXPECT_EQ(m.root->body_lines, 2u);
  EXPECT_EQ(m.lines, 4u);
  EXPECT_EQ(m.crlf_size, msg.size() + 3);
  // A close delimiter without a final line break still closes.
  std::string mp = "Content-Type: multipart/mixed; boundary=b\n\n--b\n\nx\n--b--";
  MessageStructure n = Parse(mp);
  ASSERT_EQ(n.root->children.size(), 1u);
  EXPECT_EQ(Slice(mp, n.root->children[0]->body), "x");
}

TEST(MimeParserTest, HeaderFieldsOfAPartCanBeExtracted) {
  MessageStructure m = Parse(kMixed);
  std::string_view block = Slice(kMixed, m.root->children[1]->header);
  EXPECT_EQ(ExtractFields(block, {"content-id", "CONTENT-TYPE"}, false),
            "Content-Type: application/pdf; name=\"a.pdf\"\r\nContent-ID: <part2@x>\r\n\r\n");
}

}  // namespace
}  // namespace roost::storage::mime
