// Smoke runs of roost-bench against the real roostd: each profile for about
// a second, over each TLS mode, must finish with exit code 0 (no errors, no
// failed connects) and report work done in its JSON.
#include <gtest/gtest.h>

#include <cstdlib>

#include <fmt/format.h>

#include "support/fixture.h"

#ifndef ROOST_BENCH_PATH
#error "ROOST_BENCH_PATH must be defined by the build"
#endif

namespace roost::itest {
namespace {

using BenchSmokeTest = RoostdTest;

// The integer value of "key": N in the bench JSON, or -1.
long JsonInt(const std::string& json, const std::string& key) {
  std::string needle = "\"" + key + "\": ";
  size_t at = json.find(needle);
  if (at == std::string::npos) return -1;
  return std::strtol(json.c_str() + at + needle.size(), nullptr, 10);
}

class BenchRun {
 public:
  BenchRun(const std::string& dir, uint16_t port) : dir_(dir), port_(port) {}
  Result<std::string> Run(std::vector<std::string> args) {
    std::string json = fmt::format("{}/bench-{}.json", dir_, ++runs_);
    std::vector<std::string> argv = {ROOST_BENCH_PATH, "--port", std::to_string(port_), "--json",
                                     json, "--seed", "7"};
    argv.insert(argv.end(), args.begin(), args.end());
    ROOST_ASSIGN_OR_RETURN(CommandResult r, RunCommand(argv, dir_, std::chrono::seconds(60)));
    if (r.exit_code != 0) {
      return Status::Internal(fmt::format("roost-bench exited {}:\n{}", r.exit_code, r.output));
    }
    return ReadTextFile(json);
  }

 private:
  std::string dir_;
  uint16_t port_;
  int runs_ = 0;
};

TEST_P(BenchSmokeTest, CapabilityOverStartTls) {
  BenchRun bench(server().dir(), imap_port());
  ITEST_ASSIGN_OR_FAIL(std::string json,
                       bench.Run({"--profile", "capability", "--tls", "starttls", "--clients", "4",
                                  "--threads", "2", "--duration", "1"}));
  EXPECT_EQ(JsonInt(json, "connections_established"), 4) << json;
  EXPECT_GT(JsonInt(json, "ops"), 0) << json;
  EXPECT_EQ(JsonInt(json, "errors"), 0) << json;
}

TEST_P(BenchSmokeTest, IdleWithProbeOverImplicitTls) {
  BenchRun bench(server().dir(), imaps_port());
  ITEST_ASSIGN_OR_FAIL(std::string json,
                       bench.Run({"--profile", "idle", "--tls", "implicit", "--clients", "50",
                                  "--duration", "1", "--probe-rate", "20"}));
  EXPECT_EQ(JsonInt(json, "connections_established"), 50) << json;
  EXPECT_EQ(JsonInt(json, "held_at_end"), 50) << json;
  EXPECT_GT(JsonInt(json, "probe_ops"), 0) << json;
}

TEST_P(BenchSmokeTest, ConnectCyclesOverPlainTcp) {
  BenchRun bench(server().dir(), imap_port());
  ITEST_ASSIGN_OR_FAIL(std::string json,
                       bench.Run({"--profile", "connect", "--clients", "4", "--duration", "1"}));
  EXPECT_GT(JsonInt(json, "ops"), 0) << json;
  EXPECT_EQ(JsonInt(json, "connect_failures"), 0) << json;
}

ROOST_INSTANTIATE_BACKENDS(BenchSmokeTest);

}  // namespace
}  // namespace roost::itest
