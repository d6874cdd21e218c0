// Process helpers for the integration tests: temp directories, spawning a
// child with its output captured to a file, and bounded waits for it.
//
// Every wait here has a limit, so a hung roostd fails a test instead of
// hanging ctest. Nothing in this file sleeps to make a test pass; the only
// sleeps are poll intervals inside bounded waits.
//
// Thread affinity: test thread only.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"

namespace roost::itest {

// A fresh directory under $TMPDIR (or /tmp), removed with its contents on
// destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

Status WriteTextFile(const std::string& path, const std::string& text);
std::string ReadTextFile(const std::string& path);  // "" if missing

// Starts argv[0] with stdout and stderr appended to `output_path`.
Result<pid_t> Spawn(const std::vector<std::string>& argv, const std::string& output_path);

// Waits for `pid` to exit, at most `limit`. Returns the raw wait status, or
// nullopt on timeout (the child is left running).
std::optional<int> WaitExit(pid_t pid, std::chrono::milliseconds limit);

// Spawn + WaitExit; on timeout the child is killed and an error returned.
struct CommandResult {
  int exit_code = -1;  // -1 if killed by a signal
  std::string output;  // stdout and stderr interleaved
};
Result<CommandResult> RunCommand(const std::vector<std::string>& argv, const std::string& scratch_dir,
                                 std::chrono::milliseconds limit);

// Raises RLIMIT_NOFILE's soft limit to the hard limit; returns the new soft
// limit. Children spawned afterwards inherit it.
long RaiseFdLimit();

}  // namespace roost::itest
