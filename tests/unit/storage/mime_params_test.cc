// Content-Type / Content-Disposition parameters, RFC 2231 continuations
// and charset decoding.
#include <gtest/gtest.h>

#include "storage/mime/params.h"

namespace roost::storage::mime {
namespace {

TEST(MimeParamsTest, TypeSubtypeAndQuotedValues) {
  ContentType ct = ParseContentType(
      "Text/HTML; Charset=\"UTF-8\"; format=flowed (comment); name=\"a \\\"b\\\".txt\"", MimeLimits());
  EXPECT_EQ(ct.type, "text");
  EXPECT_EQ(ct.subtype, "html");
  ASSERT_EQ(ct.params.params.size(), 3u);
  EXPECT_EQ(ct.params.params[0].name, "charset");
  EXPECT_EQ(ct.params.params[0].value, "UTF-8");  // values keep their case
  EXPECT_EQ(ct.params.Find("FORMAT")->value, "flowed");
  EXPECT_EQ(ct.params.Find("name")->value, "a \"b\".txt");
  EXPECT_FALSE(ct.params.params[0].extended);
}

TEST(MimeParamsTest, InvalidTypes) {
  EXPECT_FALSE(ParseContentType("text", MimeLimits()).valid());
  EXPECT_FALSE(ParseContentType("/plain", MimeLimits()).valid());
  EXPECT_FALSE(ParseContentType("", MimeLimits()).valid());
  EXPECT_TRUE(ParseContentType(" (c) text / plain ", MimeLimits()).valid());
}

TEST(MimeParamsTest, UnquotedValuesWithSpecials) {
  ParamList pl = ParseParams("; boundary==_Part_1=; filename=my file.pdf ;x=", MimeLimits());
  EXPECT_EQ(pl.Find("boundary")->value, "=_Part_1=");
  EXPECT_EQ(pl.Find("filename")->value, "my file.pdf");
  EXPECT_EQ(pl.Find("x")->value, "");
}

TEST(MimeParamsTest, Rfc2231Continuations) {
  ParamList pl =
      ParseParams("; URL*0=\"ftp://\"; URL*1=\"cs.utk.edu/pub/\"; URL*2=\"moore/bulk.tar\"", MimeLimits());
  ASSERT_EQ(pl.params.size(), 1u);
  EXPECT_EQ(pl.params[0].name, "url");
  EXPECT_EQ(pl.params[0].value, "ftp://cs.utk.edu/pub/moore/bulk.tar");
  EXPECT_FALSE(pl.params[0].extended);
}

TEST(MimeParamsTest, Rfc2231OutOfOrderAndGaps) {
  ParamList pl = ParseParams("; a*1=B; a*0=A; a*3=D", MimeLimits());
  EXPECT_EQ(pl.Find("a")->value, "AB");  // stops at the missing section 2
}

TEST(MimeParamsTest, Rfc2231CharsetAndLanguage) {
  ParamList pl = ParseParams(
      "; title*=us-ascii'en-us'This%20is%20%2A%2A%2Afun%2A%2A%2A;"
      " filename*=UTF-8''%E2%82%AC%20rates.pdf;"
      " name*0*=iso-8859-1'fr'caf%E9; name*1=\" au lait\"; name*2*=%21",
      MimeLimits());
  const Param* title = pl.Find("title");
  ASSERT_NE(title, nullptr);
  EXPECT_EQ(title->value, "This is ***fun***");
  EXPECT_EQ(title->charset, "us-ascii");
  EXPECT_EQ(title->language, "en-us");
  EXPECT_TRUE(title->extended);
  EXPECT_EQ(pl.Find("filename")->value, "\xe2\x82\xac rates.pdf");
  const Param* name = pl.Find("name");
  ASSERT_NE(name, nullptr);
  EXPECT_EQ(name->value, "caf\xc3\xa9 au lait!");
  EXPECT_EQ(name->language, "fr");
}

TEST(MimeParamsTest, Rfc2231ViaIcuCharset) {
  ParamList pl = ParseParams("; filename*=windows-1251''%CF%F0%E8%E2%E5%F2.txt", MimeLimits());
  EXPECT_EQ(pl.Find("filename")->value, "\xd0\x9f\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82.txt");
}

TEST(MimeParamsTest, ExtendedWinsOverPlainAndFirstPlainWins) {
  ParamList pl = ParseParams(
      "; filename=\"fallback.txt\"; filename*=utf-8''real.txt; "
      "charset=a; charset=b",
      MimeLimits());
  ASSERT_EQ(pl.params.size(), 2u);
  EXPECT_EQ(pl.Find("filename")->value, "real.txt");
  EXPECT_EQ(pl.Find("charset")->value, "a");
}

TEST(MimeParamsTest, DispositionParams) {
  ContentDisposition cd = ParseContentDisposition(
      "Attachment; filename*0*=utf-8''long%20; filename*1=name.txt; size=123", MimeLimits());
  EXPECT_EQ(cd.value, "attachment");
  EXPECT_EQ(cd.params.Find("filename")->value, "long name.txt");
  EXPECT_EQ(cd.params.Find("size")->value, "123");
}

TEST(MimeParamsTest, GarbageDoesNotCrash) {
  for (std::string_view s : {";;;;", "; =x", "; a=\"unterminated", "; a*=''", "; a*99999=x", "; a*0*=%",
                             "; a*0*=%g1", "; *=x", "; a*x=1", "(((", "; a=(b"}) {
    uint64_t steps = 0;
    ParamList pl = ParseParams(s, MimeLimits(), &steps);
    EXPECT_LE(steps, s.size()) << s;
    EXPECT_LE(pl.params.size(), 64u);
  }
}

}  // namespace
}  // namespace roost::storage::mime
