#include "auth/password_scheme.h"

#include <gtest/gtest.h>

#include <string>

namespace roost::auth {
namespace {

// Vectors generated on this machine:
//   printf password | openssl dgst -sha1 -binary | base64        ({SHA})
//   (printf passwordSALT | openssl dgst -sha1 -binary; printf SALT) | base64  ({SSHA})
//   openssl passwd -6 -salt saltsalt password                    ($6$)
//   python3 crypt.crypt('password', '$y$j9T$abcdefghijklmnop$')  ($y$)
struct Vector {
  const char* stored;
};

constexpr Vector kPasswordVectors[] = {
    {"{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g="},
    {"{sha}W6ph5Mm5Pz8GgiULbPgzG37mj9g="},  // prefix is case-insensitive (Courier)
    {"{SHA1}5baa61e4c9b93f3f0682250b6cf8331b7ee68fd8"},  // hex form
    {"{SHA256}XohImNooBHFR0OVvjcYpJ3NgPQ1qq73WKhHvch0VQtg="},
    {"{SHA512}sQnzu7wkTrgkQZF+0G1hi5AI3Qmzvv0bXgc5THBqi7mAsdd4Xll27ASbRt9fEyavWi6m0QP9B8lThf+rDKy8hg=="},
    {"{SSHA}kp14nRiBA0c1Ay7qqISQ3s3Q6pVTQUxU"},
    {"{SSHA256}9ov03EDvw8zsJYrT2zBTPnsr6i4kMuem0ysnS7Klc+pzYWx0NTY3OA=="},
    {"{SSHA512}bEyXzLAy46pdQ3j02t+jeypLOhKD+PolNio+T70VSqsMeZf1Jr2d6vXifn6+ZEefd2CcmvXPo5nusu/kFNn6VnNhbHQ1Njc4"},
    {"{MD5}X03MO1qnZdYdgyfeuILPmQ=="},  // Courier: base64 MD5
    {"{PLAIN-MD5}5f4dcc3b5aa765d61d8327deb882cf99"},
    {"{MD5RAW}5f4dcc3b5aa765d61d8327deb882cf99"},
    {"{PLAIN}password"},
    {"{CLEAR}password"},
    {"$6$saltsalt$qFmFH.bQmmtXzyBY0s9v7Oicd2z4XSIecDzlB5KiA2/jctKu9YterLp8wwnSq.qc.eoxqOmSuNp2xS0ktL3nh/"},
    {"{SHA512-CRYPT}$6$saltsalt$qFmFH.bQmmtXzyBY0s9v7Oicd2z4XSIecDzlB5KiA2/jctKu9YterLp8wwnSq.qc.eoxqOmSuNp2xS0ktL3nh/"},
    {"$5$saltsalt$gOjOtoMpVhru2uyjeJSEc/JaLQWOXMNmlOnj6T4AtC."},
    {"$1$saltsalt$qjXMvbEw8oaL.CzflDtaK/"},
    {"{MD5}$1$saltsalt$qjXMvbEw8oaL.CzflDtaK/"},  // Dovecot's MD5 = MD5-crypt
    {"{CRYPT}$1$saltsalt$qjXMvbEw8oaL.CzflDtaK/"},
    {"$2b$05$abcdefghijklmnopqrstuuWG29KuyeAicPCJODk1zjyGvyQUU2awu"},
    {"$y$j9T$abcdefghijklmnop$7asOTx5b6Exfl3myM6K0pLBn.I2hsEvu7G0F7NMfaO."},
    {"abJnggxhB/yWI"},  // traditional DES crypt
};

TEST(PasswordSchemeTest, KnownVectorsAcceptRightAndRejectWrongPassword) {
  for (const Vector& v : kPasswordVectors) {
    SCOPED_TRACE(v.stored);
    Result<bool> right = VerifyPassword(v.stored, "password");
    ASSERT_TRUE(right.has_value()) << right.error().ToString();
    EXPECT_TRUE(*right);
    Result<bool> wrong = VerifyPassword(v.stored, "passwort");
    ASSERT_TRUE(wrong.has_value()) << wrong.error().ToString();
    EXPECT_FALSE(*wrong);
    EXPECT_FALSE(*VerifyPassword(v.stored, ""));
    // Traditional DES crypt only reads 8 characters; everything else must
    // see the trailing space.
    if (std::string_view(v.stored) != "abJnggxhB/yWI") {
      EXPECT_FALSE(*VerifyPassword(v.stored, "password "));
    }
  }
}

TEST(PasswordSchemeTest, PlainComparisonIsExactAndLengthSafe) {
  EXPECT_FALSE(*VerifyPassword("{PLAIN}password", "passwor"));
  EXPECT_FALSE(*VerifyPassword("{PLAIN}password", "Password"));
  EXPECT_TRUE(*VerifyPassword("{PLAIN}", ""));  // an explicitly empty password
}

TEST(PasswordSchemeTest, MalformedStoredFormsAreErrorsNotMatches) {
  const char* malformed[] = {
      "{SHA}not*base64",
      "{SHA}AAAA",                   // valid base64, wrong digest length
      "{SSHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=",  // no salt after the digest
      "{SHA256}=abc",
      "{NOSUCH}whatever",
      "{CRAM-MD5}abcd",
      "{CRAM-MD5}zz",
      "$y$broken",
      "{CRYPT}$9$nonsense$",
  };
  for (const char* stored : malformed) {
    SCOPED_TRACE(stored);
    Result<bool> r = VerifyPassword(stored, "password");
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code(), Status::Code::kInvalidArgument);
  }
}

TEST(PasswordSchemeTest, BareSettingWithoutHashNeverMatches) {
  // libxcrypt accepts "$6$" as a setting with an empty salt; the output then
  // has a hash part the stored string lacks, so nothing can match it.
  Result<bool> r = VerifyPassword("$6$", "password");
  EXPECT_FALSE(r.has_value() && *r);
}

TEST(PasswordSchemeTest, LockedAccountsNeverMatch) {
  for (const char* stored : {"", "!", "*", "!$6$saltsalt$qFmFH", "*LK*"}) {
    Result<bool> r = VerifyPassword(stored, "");
    ASSERT_TRUE(r.has_value());
    EXPECT_FALSE(*r);
  }
}

TEST(PasswordSchemeTest, PasswordWithNulNeverMatchesCryptTruncation) {
  std::string with_nul("password\0extra", 14);
  EXPECT_FALSE(*VerifyPassword("$6$saltsalt$qFmFH.bQmmtXzyBY0s9v7Oicd2z4XSIecDzlB5KiA2/jctKu9YterLp8wwnSq.qc.eoxqOmSuNp2xS0ktL3nh/",
                               with_nul));
  EXPECT_FALSE(HashPassword(with_nul).has_value());
}

TEST(PasswordSchemeTest, YescryptRoundTrip) {
  Result<std::string> hash = HashPassword("correct horse");
  ASSERT_TRUE(hash.has_value()) << hash.error().ToString();
  EXPECT_EQ(hash->rfind("$y$", 0), 0u) << *hash;
  EXPECT_TRUE(*VerifyPassword(*hash, "correct horse"));
  EXPECT_FALSE(*VerifyPassword(*hash, "correct horsE"));
  // Fresh salt every time.
  EXPECT_NE(*hash, *HashPassword("correct horse"));
}

TEST(PasswordSchemeTest, EveryGeneratedSchemeRoundTrips) {
  for (const char* scheme : {"yescrypt", "sha512-crypt", "SHA256-CRYPT", "bcrypt", "SSHA", "ssha256",
                             "SSHA512", "PLAIN", "CRAM-MD5"}) {
    SCOPED_TRACE(scheme);
    Result<std::string> hash = HashPassword("s3cret", scheme);
    ASSERT_TRUE(hash.has_value()) << hash.error().ToString();
    EXPECT_TRUE(*VerifyPassword(*hash, "s3cret"));
    EXPECT_FALSE(*VerifyPassword(*hash, "s3cre"));
  }
  EXPECT_EQ(HashPassword("x", "rot13").error().code(), Status::Code::kNotSupported);
}

TEST(PasswordSchemeTest, PlainAndCramSecretsComeOnlyFromReversibleForms) {
  EXPECT_EQ(PlainFromStored("{PLAIN}pw").value_or("-"), "pw");
  EXPECT_EQ(PlainFromStored("{cleartext}pw").value_or("-"), "pw");
  EXPECT_FALSE(PlainFromStored("{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=").has_value());
  EXPECT_FALSE(PlainFromStored("pw").has_value());
  EXPECT_TRUE(CramMd5ContextFromStored("{PLAIN}pw").has_value());
  EXPECT_TRUE(CramMd5ContextFromStored(*HashPassword("pw", "CRAM-MD5")).has_value());
  EXPECT_FALSE(CramMd5ContextFromStored("$1$saltsalt$qjXMvbEw8oaL.CzflDtaK/").has_value());
}

TEST(PasswordSchemeTest, SplitScheme) {
  auto [scheme, rest] = SplitScheme("{ssha}abc");
  EXPECT_EQ(scheme, "SSHA");
  EXPECT_EQ(rest, "abc");
  EXPECT_EQ(SplitScheme("$6$x").first, "");
  EXPECT_EQ(SplitScheme("{unterminated").second, "{unterminated");
}

}  // namespace
}  // namespace roost::auth
