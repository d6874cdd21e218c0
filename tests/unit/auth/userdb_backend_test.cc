#include "auth/userdb/userdb_backend.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "auth/cram_md5.h"
#include "auth/encoding.h"
#include "unit/auth/temp_dir.h"

namespace roost::auth::userdb {
namespace {

using roost::auth::testing::SetMtime;
using roost::auth::testing::TempDir;
using roost::auth::testing::WriteFile;

// systempw "password" as MD5-crypt; imappw "imapsecret" as {SHA}; pop3pw
// "popsecret" in clear.
const std::string kUserdb =
    "john\tuid=1000|gid=1000|home=/home/john|systempw=$1$saltsalt$qjXMvbEw8oaL.CzflDtaK/\n"
    "jane\tuid=5000|gid=5000|home=/var/vmail/jane|mail=/var/vmail/jane/Mail|quota=10000000S,1000C|"
    "options=disableimap=0,group=staff|systempw={PLAIN}password|"
    "imappw={SHA}30tLHm2E9GFN6UN64IHUSHlcH6A=|pop3pw={PLAIN}popsecret\n"
    "nopw\tuid=1|gid=1|home=/n\n"
    "broken\tuid=x|gid=1|home=/b|systempw={PLAIN}password\n"
    "badhash\tuid=1|gid=1|home=/b|systempw={SHA}***\n"
    "rel\tuid=2|gid=2|home=/home/rel|mail=Maildir.work|systempw={PLAIN}password\n";

class UserdbBackendTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = dir_.File("userdb");
    WriteFile(path_, kUserdb);
    ASSERT_TRUE(SetMtime(path_, 1000000));
  }
  UserdbBackend Make(AccountOptions defaults = {}) {
    UserdbBackendOptions options;
    options.path = path_;
    options.default_options = std::move(defaults);
    return UserdbBackend(std::move(options));
  }

  TempDir dir_;
  std::string path_;
};

TEST_F(UserdbBackendTest, LookupMapsCourierFields) {
  UserdbBackend backend = Make();
  Result<UserInfo> jane = backend.Lookup("jane");
  ASSERT_TRUE(jane.has_value()) << jane.error().ToString();
  EXPECT_EQ(jane->name, "jane");
  EXPECT_EQ(jane->uid, 5000u);
  EXPECT_EQ(jane->gid, 5000u);
  EXPECT_EQ(jane->home, "/var/vmail/jane");
  EXPECT_EQ(jane->maildir, "/var/vmail/jane/Mail");
  EXPECT_EQ(jane->quota, "10000000S,1000C");
  EXPECT_EQ(jane->options.GetAll("group"), (std::vector<std::string_view>{"staff"}));
  // No mail field: Courier's default ./Maildir under the home.
  EXPECT_EQ(backend.Lookup("john")->maildir, "/home/john/Maildir");
  EXPECT_EQ(backend.Lookup("john")->quota, "");
  EXPECT_EQ(backend.Lookup("rel")->maildir, "/home/rel/Maildir.work");
  EXPECT_TRUE(AuthBackend::IsUnknownUser(backend.Lookup("nobody").error()));
  EXPECT_EQ(backend.Lookup("broken").error().code(), Status::Code::kCorruption);
}

TEST_F(UserdbBackendTest, ServiceSpecificPasswordTakesPrecedenceOverSystempw) {
  UserdbBackend backend = Make();
  // imap: imappw only; systempw does not work for imap when imappw exists.
  EXPECT_TRUE(backend.Verify("jane", "imapsecret", kServiceImap).has_value());
  EXPECT_FALSE(backend.Verify("jane", "password", kServiceImap).has_value());
  // pop3: pop3pw.
  EXPECT_TRUE(backend.Verify("jane", "popsecret", kServicePop3).has_value());
  EXPECT_FALSE(backend.Verify("jane", "imapsecret", kServicePop3).has_value());
  // A service without its own field falls back to systempw.
  EXPECT_TRUE(backend.Verify("jane", "password", "webmail").has_value());
  // Default service is imap.
  EXPECT_TRUE(backend.Verify("jane", "imapsecret").has_value());
  // john has only systempw.
  Result<UserInfo> john = backend.Verify("john", "password");
  ASSERT_TRUE(john.has_value());
  EXPECT_EQ(john->login, "john");
}

TEST_F(UserdbBackendTest, FailuresLookTheSameToClients) {
  UserdbBackend backend = Make();
  Result<UserInfo> wrong = backend.Verify("john", "nope");
  Result<UserInfo> unknown = backend.Verify("nobody", "nope");
  Result<UserInfo> no_password = backend.Verify("nopw", "");
  for (const Result<UserInfo>* r : {&wrong, &unknown, &no_password}) {
    ASSERT_FALSE(r->has_value());
    EXPECT_EQ(r->error().mail_error(), MailError::kNoPerm);
    EXPECT_EQ(r->error().message(), kAuthFailedMessage);
  }
  // A malformed stored hash is an error for the log, never a success.
  Result<UserInfo> bad = backend.Verify("badhash", "password");
  ASSERT_FALSE(bad.has_value());
  EXPECT_NE(bad.error().message().find("line 5"), std::string_view::npos);
  EXPECT_EQ(bad.error().message().find("***"), std::string_view::npos);  // no hash material in logs
}

TEST_F(UserdbBackendTest, AccountOptionsDefaultsAndOverrides) {
  UserdbBackend backend = Make(AccountOptions::Parse("disableimap=1,disableshared=1"));
  Result<UserInfo> jane = backend.Lookup("jane");
  ASSERT_TRUE(jane.has_value());
  EXPECT_FALSE(jane->options.IsSet(kOptDisableImap));  // account says disableimap=0
  EXPECT_TRUE(jane->options.IsSet(kOptDisableShared));
  Result<UserInfo> john = backend.Lookup("john");
  EXPECT_TRUE(john->options.IsSet(kOptDisableImap));
}

TEST_F(UserdbBackendTest, ReloadsWhenTheFileChanges) {
  UserdbBackend backend = Make();
  ASSERT_TRUE(backend.Verify("john", "password").has_value());
  ASSERT_TRUE(backend.Lookup("jane").has_value());
  EXPECT_EQ(backend.loads(), 1);  // unchanged file: no re-read

  // Same size, same inode, only the mtime moves: still re-read.
  std::string edited = kUserdb;
  edited.replace(edited.find("john"), 4, "joan");
  WriteFile(path_, edited);
  ASSERT_TRUE(SetMtime(path_, 1000000 + 60));
  EXPECT_TRUE(AuthBackend::IsUnknownUser(backend.Lookup("john").error()));
  EXPECT_TRUE(backend.Verify("joan", "password").has_value());
  EXPECT_EQ(backend.loads(), 2);

  // Replaced atomically (new inode) by the editing helpers.
  Result<std::string> without = DeleteUser(edited, "joan");
  ASSERT_TRUE(without.has_value());
  ASSERT_TRUE(WriteUserdbAtomically(path_, *without).ok());
  EXPECT_TRUE(AuthBackend::IsUnknownUser(backend.Lookup("joan").error()));
  EXPECT_EQ(backend.loads(), 3);
}

TEST_F(UserdbBackendTest, MissingOrBrokenFileIsUnavailableNotWrongPassword) {
  UserdbBackend backend = Make();
  ASSERT_TRUE(backend.Lookup("john").has_value());
  WriteFile(path_, kUserdb + "no tab here\n");
  ASSERT_TRUE(SetMtime(path_, 1000000 + 120));
  Result<UserInfo> r = backend.Verify("john", "password");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), Status::Code::kUnavailable);
  EXPECT_NE(r.error().message().find("line 7"), std::string_view::npos);

  ASSERT_EQ(::unlink(path_.c_str()), 0);
  EXPECT_EQ(backend.Verify("john", "password").error().mail_error(), MailError::kUnavailable);
}

TEST_F(UserdbBackendTest, CaseInsensitiveNames) {
  UserdbBackendOptions options;
  options.path = path_;
  options.case_insensitive = true;
  UserdbBackend backend(std::move(options));
  Result<UserInfo> r = backend.Verify("JoHn", "password");
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->login, "JoHn");
  EXPECT_EQ(r->name, "john");
  EXPECT_FALSE(Make().Lookup("JOHN").has_value());
}

TEST_F(UserdbBackendTest, Secrets) {
  const std::string hmac = HexEncode(CramMd5Precompute("cramsecret"));
  const std::string imap_hmac = HexEncode(CramMd5Precompute("imapcram"));
  WriteFile(path_, "c\tuid=1|gid=1|home=/c|systempw={PLAIN}pw|hmac-md5pw=" + hmac +
                       "|imap-hmac-md5pw=" + imap_hmac + "\n"
                       "h\tuid=1|gid=1|home=/h|systempw=$1$saltsalt$qjXMvbEw8oaL.CzflDtaK/\n"
                       "x\tuid=1|gid=1|home=/x|hmac-md5pw=zz\n");
  UserdbBackend backend = Make();
  EXPECT_TRUE(backend.CanProvideSecrets());
  EXPECT_EQ(*backend.PlainSecret("c", kServiceImap), "pw");
  EXPECT_EQ(backend.PlainSecret("h", kServiceImap).error().code(), Status::Code::kNotSupported);
  // Service-specific precompute first, then hmac-md5pw.
  EXPECT_EQ(*backend.CramMd5Context("c", kServiceImap), CramMd5Precompute("imapcram"));
  EXPECT_EQ(*backend.CramMd5Context("c", kServicePop3), CramMd5Precompute("cramsecret"));
  EXPECT_EQ(backend.CramMd5Context("h", kServiceImap).error().code(), Status::Code::kNotSupported);
  EXPECT_EQ(backend.CramMd5Context("x", kServiceImap).error().code(), Status::Code::kCorruption);
  EXPECT_TRUE(AuthBackend::IsUnknownUser(backend.CramMd5Context("none", kServiceImap).error()));
}

TEST_F(UserdbBackendTest, ConcurrentVerifiesDuringRewritesAlwaysSeeAWholeFile) {
  UserdbBackend backend = Make();
  // Both versions know john with the same password; a reader must never see
  // a half-parsed state or a spurious failure while the file is replaced.
  const std::string other = kUserdb + "extra\tuid=9|gid=9|home=/e|systempw={PLAIN}x\n";
  std::atomic<int> failures{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < 4; ++t) {
    readers.emplace_back([&] {
      for (int i = 0; i < 100; ++i) {
        if (!backend.Verify("jane", "imapsecret").has_value()) ++failures;
      }
    });
  }
  for (int i = 0; i < 20; ++i) {
    EXPECT_TRUE(WriteUserdbAtomically(path_, i % 2 ? kUserdb : other).ok());
  }
  for (std::thread& t : readers) t.join();
  EXPECT_EQ(failures.load(), 0);
}

TEST_F(UserdbBackendTest, WriteUserdbAtomicallyUsesMode0600) {
  std::string path = dir_.File("new-userdb");
  ASSERT_TRUE(WriteUserdbAtomically(path, kUserdb).ok());
  struct stat st;
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(roost::auth::testing::ReadFile(path), kUserdb);
  // No temp files left behind.
  int files = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir_.path())) ++files;
  EXPECT_EQ(files, 2);
  EXPECT_FALSE(WriteUserdbAtomically(dir_.File("no/such/dir/userdb"), "x").ok());
}

}  // namespace
}  // namespace roost::auth::userdb
