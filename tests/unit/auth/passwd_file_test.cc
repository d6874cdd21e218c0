#include "auth/passwd_file/passwd_file.h"

#include <gtest/gtest.h>

#include <string>

#include "unit/auth/temp_dir.h"

namespace roost::auth::passwd_file {
namespace {

using roost::auth::testing::SetMtime;
using roost::auth::testing::TempDir;
using roost::auth::testing::WriteFile;

// Dovecot passwd-file fixture (doc/wiki/AuthDatabase.PasswdFile): schemes,
// crypt without prefix, empty optional columns, userdb_ extra fields.
const std::string kPasswdFile =
    "# dovecot users\n"
    "alice:{SHA512-CRYPT}$6$saltsalt$qFmFH.bQmmtXzyBY0s9v7Oicd2z4XSIecDzlB5KiA2/jctKu9YterLp8wwnSq.qc.eoxqOmSuNp2xS0ktL3nh/"
    ":1001:1001:Alice A:/home/alice:/bin/false:"
    "userdb_mail=maildir:~/Maildir:LAYOUT=fs userdb_quota_rule=*:storage=1G userdb_quota_rule2=*:messages=5000\n"
    "bob@example.org:$1$saltsalt$qjXMvbEw8oaL.CzflDtaK/:2000:2000::/var/vmail/bob::"
    "allow_nets=127.0.0.1/8 userdb_options=disablepop3=1\n"
    "carol:{PLAIN}password::::/home/carol\n"
    "dave:{SSHA}kp14nRiBA0c1Ay7qqISQ3s3Q6pVTQUxU:3:3::/home/dave::mail=maildir:/srv/mail/dave quota_rule=*:storage=2048\n"
    "locked::4:4::/home/locked\n"
    "mbox:{PLAIN}password:5:5::/home/mbox::userdb_mail=mbox:~/mail\n"
    "nohome:{PLAIN}password:6:6\n";

TEST(PasswdFileParseTest, ColumnsAndExtraFields) {
  Result<std::vector<Entry>> entries = ParsePasswdFile(kPasswdFile);
  ASSERT_TRUE(entries.has_value()) << entries.error().ToString();
  ASSERT_EQ(entries->size(), 7u);
  const Entry& alice = (*entries)[0];
  EXPECT_EQ(alice.user, "alice");
  EXPECT_EQ(alice.uid, "1001");
  EXPECT_EQ(alice.gecos, "Alice A");
  EXPECT_EQ(alice.home, "/home/alice");
  EXPECT_EQ(alice.shell, "/bin/false");
  EXPECT_EQ(alice.line, 2);
  // Colons inside extra field values survive.
  EXPECT_EQ(alice.Extra("mail").value_or("?"), "maildir:~/Maildir:LAYOUT=fs");
  EXPECT_EQ((*entries)[2].home, "/home/carol");
  EXPECT_EQ((*entries)[2].shell, "");
  EXPECT_TRUE((*entries)[2].extra.empty());
}

TEST(PasswdFileParseTest, Errors) {
  EXPECT_NE(ParsePasswdFile("a:x\n:y\n").error().message().find("line 2: empty user name"), std::string_view::npos);
  EXPECT_NE(ParsePasswdFile("a:x\na:y\n").error().message().find("line 2: duplicate user"), std::string_view::npos);
  EXPECT_FALSE(ParsePasswdFile("a:" + std::string(kMaxLineLength, 'x')).has_value());
}

TEST(PasswdFileParseTest, QuotaRules) {
  EXPECT_EQ(*QuotaFromRules({"*:storage=1G"}), "1073741824S");
  EXPECT_EQ(*QuotaFromRules({"*:storage=100"}), "102400S");  // bare number: KiB
  EXPECT_EQ(*QuotaFromRules({"*:bytes=100"}), "100S");
  EXPECT_EQ(*QuotaFromRules({"*:storage=10M:messages=100"}), "10485760S,100C");
  EXPECT_EQ(*QuotaFromRules({"Trash:storage=+10%", "*:messages=7"}), "7C");
  EXPECT_EQ(*QuotaFromRules({}), "");
  EXPECT_EQ(*QuotaFromRules({"*:storage=0"}), "");
  EXPECT_FALSE(QuotaFromRules({"*:storage=lots"}).has_value());
  EXPECT_FALSE(QuotaFromRules({"*:storage=99999999999999T"}).has_value());
}

class PasswdFileBackendTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = dir_.File("passwd");
    WriteFile(path_, kPasswdFile);
    ASSERT_TRUE(SetMtime(path_, 2000000));
  }
  PasswdFileBackend Make() {
    PasswdFileBackendOptions options;
    options.path = path_;
    options.default_options = AccountOptions::Parse("disableshared=1");
    return PasswdFileBackend(std::move(options));
  }
  TempDir dir_;
  std::string path_;
};

TEST_F(PasswdFileBackendTest, VerifyAndMapping) {
  PasswdFileBackend backend = Make();
  Result<UserInfo> alice = backend.Verify("alice", "password");
  ASSERT_TRUE(alice.has_value()) << alice.error().ToString();
  EXPECT_EQ(alice->uid, 1001u);
  EXPECT_EQ(alice->maildir, "/home/alice/Maildir");
  EXPECT_EQ(alice->quota, "1073741824S,5000C");
  EXPECT_TRUE(alice->options.IsSet(kOptDisableShared));

  Result<UserInfo> bob = backend.Verify("bob@example.org", "password");
  ASSERT_TRUE(bob.has_value());
  EXPECT_EQ(bob->maildir, "/var/vmail/bob/Maildir");
  EXPECT_TRUE(bob->options.IsSet(kOptDisablePop3));
  EXPECT_EQ(bob->quota, "");

  Result<UserInfo> dave = backend.Verify("dave", "password");
  ASSERT_TRUE(dave.has_value());
  EXPECT_EQ(dave->maildir, "/srv/mail/dave");
  EXPECT_EQ(dave->quota, "2097152S");

  EXPECT_TRUE(backend.Verify("carol", "password").has_value());
  EXPECT_EQ(backend.Lookup("carol")->uid, 0u);
}

TEST_F(PasswdFileBackendTest, Rejections) {
  PasswdFileBackend backend = Make();
  for (auto [user, pw] : {std::pair{"alice", "wrong"}, std::pair{"nobody", "password"},
                          std::pair{"locked", ""}, std::pair{"locked", "x"}}) {
    Result<UserInfo> r = backend.Verify(user, pw);
    ASSERT_FALSE(r.has_value()) << user;
    EXPECT_EQ(r.error().message(), kAuthFailedMessage);
  }
  // Unsupported mailbox formats and missing homes are per-user errors.
  EXPECT_EQ(backend.Lookup("mbox").error().code(), Status::Code::kCorruption);
  EXPECT_EQ(backend.Lookup("nohome").error().code(), Status::Code::kCorruption);
}

TEST_F(PasswdFileBackendTest, SecretsAndReload) {
  PasswdFileBackend backend = Make();
  EXPECT_EQ(*backend.PlainSecret("carol", kServiceImap), "password");
  EXPECT_EQ(backend.PlainSecret("alice", kServiceImap).error().code(), Status::Code::kNotSupported);
  EXPECT_TRUE(backend.CramMd5Context("carol", kServiceImap).has_value());

  WriteFile(path_, "carol:{PLAIN}changed::::/home/carol\n");
  ASSERT_TRUE(SetMtime(path_, 2000000 + 30));
  EXPECT_FALSE(backend.Verify("carol", "password").has_value());
  EXPECT_TRUE(backend.Verify("carol", "changed").has_value());
  EXPECT_TRUE(AuthBackend::IsUnknownUser(backend.Lookup("alice").error()));
}

}  // namespace
}  // namespace roost::auth::passwd_file
