// roostd --check-config: validates a config and exits without serving;
// 0 for a good file, non-zero with the offending key named for a bad one.
#include <gtest/gtest.h>

#include "support/fixture.h"

namespace roost::itest {
namespace {

// Runs only the binary, no server: a plain parametrized suite.
class CheckConfigTest : public ::testing::TestWithParam<std::string> {
 protected:
  Result<CommandResult> Check(const std::string& toml) {
    std::string path = dir_.path() + "/roost.toml";
    ROOST_RETURN_IF_ERROR(WriteTextFile(path, toml));
    return RunCommand({ROOSTD_PATH, "--config", path, "--check-config", "--io-backend", GetParam()},
                      dir_.path(), std::chrono::seconds(30));
  }
  RoostdOptions Options() const {
    RoostdOptions o;
    o.backend = GetParam();
    return o;
  }

  TempDir dir_;
};

TEST_P(CheckConfigTest, GoodConfigExitsZero) {
  ITEST_ASSERT_OK(MakeSelfSignedCert(dir_.path()));
  ITEST_ASSIGN_OR_FAIL(CommandResult r, Check(RenderConfig(Options())));
  EXPECT_EQ(r.exit_code, 0) << r.output;
}

TEST_P(CheckConfigTest, BadValueFailsAndNamesTheKey) {
  ITEST_ASSERT_OK(MakeSelfSignedCert(dir_.path()));
  RoostdOptions o = Options();
  o.listeners = {{"imap", "sometimes"}};
  ITEST_ASSIGN_OR_FAIL(CommandResult r, Check(RenderConfig(o)));
  EXPECT_NE(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("listener[0].tls"), std::string::npos) << r.output;
}

TEST_P(CheckConfigTest, BadTypeFailsAndNamesTheKey) {
  ITEST_ASSERT_OK(MakeSelfSignedCert(dir_.path()));
  RoostdOptions o = Options();
  o.extra_toml = "[limits]\nline = \"very long\"\n";
  ITEST_ASSIGN_OR_FAIL(CommandResult r, Check(RenderConfig(o)));
  EXPECT_NE(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("limits"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("line"), std::string::npos) << r.output;
}

TEST_P(CheckConfigTest, MissingCertificateIsAnError) {
  // No MakeSelfSignedCert: [tls] names files that do not exist.
  ITEST_ASSIGN_OR_FAIL(CommandResult r, Check(RenderConfig(Options())));
  EXPECT_NE(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("tls"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find(".pem"), std::string::npos) << r.output;
}

ROOST_INSTANTIATE_BACKENDS(CheckConfigTest);

}  // namespace
}  // namespace roost::itest
