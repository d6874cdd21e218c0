// Transfer decoders (base64, quoted-printable), RFC 2047 words, charsets.
#include <gtest/gtest.h>

#include <string>

#include "storage/mime/charset.h"
#include "storage/mime/rfc2047.h"
#include "storage/mime/transfer.h"

namespace roost::storage::mime {
namespace {

// Decodes `in` fed in chunks of `chunk` bytes.
std::string Chunked(TransferEncoding enc, std::string_view in, size_t chunk, bool* error) {
  TransferDecoder d(enc);
  std::string out;
  for (size_t i = 0; i < in.size(); i += chunk) d.Feed(in.substr(i, chunk), &out);
  d.Finish(&out);
  *error = d.error();
  return out;
}

TEST(MimeCodecTest, ParseTransferEncoding) {
  EXPECT_EQ(ParseTransferEncoding(std::nullopt), TransferEncoding::k7Bit);
  EXPECT_EQ(ParseTransferEncoding(" Base64 "), TransferEncoding::kBase64);
  EXPECT_EQ(ParseTransferEncoding("QUOTED-PRINTABLE"), TransferEncoding::kQuotedPrintable);
  EXPECT_EQ(ParseTransferEncoding("8bit"), TransferEncoding::k8Bit);
  EXPECT_EQ(ParseTransferEncoding("binary"), TransferEncoding::kBinary);
  EXPECT_EQ(ParseTransferEncoding("x-uuencode"), TransferEncoding::kUnknown);
}

TEST(MimeCodecTest, Base64) {
  bool err = true;
  for (size_t chunk : {1, 2, 3, 5, 100}) {
    EXPECT_EQ(Chunked(TransferEncoding::kBase64, "SGVs\r\nbG8g\r\n d29y bGQ=\r\n", chunk, &err),
              "Hello world");
    EXPECT_FALSE(err);
  }
  // Missing padding is tolerated.
  EXPECT_EQ(DecodeTransfer(TransferEncoding::kBase64, "SGk", &err), "Hi");
  EXPECT_FALSE(err);
  EXPECT_EQ(DecodeTransfer(TransferEncoding::kBase64, "SA", &err), "H");
  EXPECT_FALSE(err);
  // Concatenated blocks after padding keep decoding.
  EXPECT_EQ(DecodeTransfer(TransferEncoding::kBase64, "SA==SGk=", &err), "HHi");
  EXPECT_FALSE(err);
  // Garbage is flagged for [UNKNOWN-CTE], valid data still decoded.
  EXPECT_EQ(DecodeTransfer(TransferEncoding::kBase64, "SG!!Vs", &err), "Hel");
  EXPECT_TRUE(err);
  DecodeTransfer(TransferEncoding::kBase64, "SGVsb", &err);  // lone sextet
  EXPECT_TRUE(err);
  std::string all;
  for (int i = 0; i < 256; ++i) all.push_back(static_cast<char>(i));
  EXPECT_EQ(DecodeTransfer(TransferEncoding::kBase64,
                           "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4vMDEy"
                           "MzQ1Njc4OTo7PD0+P0BBQkNERUZHSElKS0xNTk9QUVJTVFVWV1hZWltcXV5fYGFiY2Rl"
                           "ZmdoaWprbG1ub3BxcnN0dXZ3eHl6e3x9fn+AgYKDhIWGh4iJiouMjY6PkJGSk5SVlpeY"
                           "mZqbnJ2en6ChoqOkpaanqKmqq6ytrq+wsbKztLW2t7i5uru8vb6/wMHCw8TFxsfIycrL"
                           "zM3Oz9DR0tPU1dbX2Nna29zd3t/g4eLj5OXm5+jp6uvs7e7v8PHy8/T19vf4+fr7/P3+/w==",
                           &err),
            all);
  EXPECT_FALSE(err);
}

TEST(MimeCodecTest, QuotedPrintable) {
  bool err = true;
  std::string_view in =
      "caf=C3=A9 =3D soft=\r\nbreak   \r\n"
      "lf soft=\nbreak\n"
      "invalid =ZZ and =4 end\r\n"
      "trailing ws after eq=  \r\nok\r\n"
      "lower =c3=a9";
  for (size_t chunk : {1, 2, 3, 7, 1000}) {
    EXPECT_EQ(Chunked(TransferEncoding::kQuotedPrintable, in, chunk, &err),
              "caf\xc3\xa9 = softbreak\r\n"
              "lf softbreak\r\n"
              "invalid =ZZ and =4 end\r\n"
              "trailing ws after eqok\r\n"
              "lower \xc3\xa9")
        << chunk;
    EXPECT_FALSE(err);
  }
  QuotedPrintableDecoder d;
  std::string out;
  d.Feed("a=\r=4x=", &out);
  d.Finish(&out);
  EXPECT_EQ(out, "a=\r=4x");
  EXPECT_EQ(d.invalid_escapes(), 2u);
}

TEST(MimeCodecTest, IdentityAndUnknown) {
  bool err = true;
  EXPECT_EQ(DecodeTransfer(TransferEncoding::k8Bit, "a\r\nb", &err), "a\r\nb");
  EXPECT_FALSE(err);
  DecodeTransfer(TransferEncoding::kUnknown, "begin 644 x", &err);
  EXPECT_TRUE(err);
}

TEST(MimeCodecTest, Rfc2047Basic) {
  EXPECT_EQ(DecodeRfc2047("=?ISO-8859-1?Q?Andr=E9?= Pirard"), "Andr\xc3\xa9 Pirard");
  EXPECT_EQ(DecodeRfc2047("=?utf-8?b?SsO2cmc=?="), "J\xc3\xb6rg");
  EXPECT_EQ(DecodeRfc2047("plain text"), "plain text");
  EXPECT_EQ(DecodeRfc2047("=?utf-8?q?a_b?="), "a b");
}

TEST(MimeCodecTest, Rfc2047WhitespaceBetweenWords) {
  // RFC 2047 §8 examples.
  EXPECT_EQ(DecodeRfc2047("(=?ISO-8859-1?Q?a?= b)"), "(a b)");
  EXPECT_EQ(DecodeRfc2047("=?ISO-8859-1?Q?a?= =?ISO-8859-1?Q?b?="), "ab");
  EXPECT_EQ(DecodeRfc2047("=?ISO-8859-1?Q?a?=\r\n   =?ISO-8859-1?Q?b?="), "ab");
  EXPECT_EQ(DecodeRfc2047("=?ISO-8859-1?Q?a_b?="), "a b");
  EXPECT_EQ(DecodeRfc2047("=?ISO-8859-1?Q?a?= x =?ISO-8859-1?Q?b?="), "a x b");
}

TEST(MimeCodecTest, Rfc2047SplitMultibyteCharacter) {
  // U+00E9 split across two words in the same charset.
  EXPECT_EQ(DecodeRfc2047("=?utf-8?q?caf=C3?= =?utf-8?q?=A9?="), "caf\xc3\xa9");
}

TEST(MimeCodecTest, Rfc2047IcuCharsetsAndLanguage) {
  EXPECT_EQ(DecodeRfc2047("=?koi8-r?b?8NLJ18XU?="), "\xd0\x9f\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82");
  EXPECT_EQ(DecodeRfc2047("=?Shift_JIS?B?k/qWe4zq?="), "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e");
  EXPECT_EQ(DecodeRfc2047("=?US-ASCII*EN?Q?Keith_Moore?="), "Keith Moore");
}

TEST(MimeCodecTest, Rfc2047Malformed) {
  EXPECT_EQ(DecodeRfc2047("=?utf-8?x?abc?="), "=?utf-8?x?abc?=");
  EXPECT_EQ(DecodeRfc2047("=?utf-8?q?no end"), "=?utf-8?q?no end");
  EXPECT_EQ(DecodeRfc2047("=??q?a?="), "=??q?a?=");
  EXPECT_EQ(DecodeRfc2047("=?"), "=?");
  // Unknown charset: bytes kept, invalid UTF-8 replaced.
  EXPECT_EQ(DecodeRfc2047("=?x-nonsense?q?a=FF?="), "a\xef\xbf\xbd");
  // Raw 8-bit that is not UTF-8.
  EXPECT_EQ(DecodeRfc2047("caf\xe9"), "caf\xef\xbf\xbd");
}

TEST(MimeCodecTest, CharsetConversion) {
  std::string out;
  EXPECT_TRUE(ConvertToUtf8("ISO-8859-1", "\xe9", &out));
  EXPECT_EQ(out, "\xc3\xa9");
  out.clear();
  EXPECT_TRUE(ConvertToUtf8("windows-1252", "\x80", &out));
  EXPECT_EQ(out, "\xe2\x82\xac");
  out.clear();
  EXPECT_FALSE(ConvertToUtf8("no such charset!", "ab", &out));
  EXPECT_EQ(out, "ab");
  out.clear();
  AppendValidUtf8(
      "\xed\xa0\x80"
      "ok\xf4\x90\x80\x80",
      &out);  // surrogate, > U+10FFFF
  EXPECT_EQ(out, "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbdok\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
}

}  // namespace
}  // namespace roost::storage::mime
