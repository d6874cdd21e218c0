// Roostd: a real roostd process for loopback integration tests.
//
// Start() writes a config into a fresh temp dir (every address on port 0),
// makes a self-signed P-256 certificate with the openssl CLI (key mode 0600,
// since roostd refuses readable keys), spawns the binary built by this tree
// (ROOSTD_PATH) with --ready-file and --io-backend, and waits, bounded, for
// the ready file that names the real ports. Stop() sends SIGTERM and waits,
// bounded, for the exit. The destructor SIGKILLs a process still running, so
// a failed assertion never leaks a server. roostd's output goes to
// <dir>/roostd.log; tests print it when they fail.
//
// Thread affinity: test thread only.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "base/result.h"
#include "support/process.h"

namespace roost::itest {

struct ListenerSpec {
  std::string name;
  std::string tls;  // none | starttls | implicit
};

struct RoostdOptions {
  std::string backend = "epoll";  // passed as --io-backend
  std::vector<ListenerSpec> listeners = {{"imap", "starttls"}, {"imaps", "implicit"}};
  bool admin = true;
  int shutdown_timeout_s = 5;
  std::string extra_toml;  // appended verbatim
};

// The TOML roostd is started with (exposed for --check-config tests).
std::string RenderConfig(const RoostdOptions& options);
// openssl req ... -keyout <dir>/key.pem -out <dir>/cert.pem; chmod 600 key.
Status MakeSelfSignedCert(const std::string& dir);
// Extracts "backend" and the "listeners" map from the ready-file JSON.
Status ParseReadyFile(const std::string& json, std::string* backend,
                      std::map<std::string, std::string>* listeners);

class Roostd {
 public:
  static Result<std::unique_ptr<Roostd>> Start(const RoostdOptions& options);
  ~Roostd();
  Roostd(const Roostd&) = delete;
  Roostd& operator=(const Roostd&) = delete;

  // Port of the listener `name` ("imap", "imaps", "admin"); 0 if unknown.
  uint16_t Port(const std::string& name) const;
  const std::string& backend() const { return backend_; }
  pid_t pid() const { return pid_; }
  const std::string& dir() const { return dir_.path(); }
  const std::string& config_path() const { return config_path_; }
  std::string Log() const;

  Status Signal(int sig);
  // SIGTERM, then wait at most `limit`. Returns the raw wait status; an
  // error if the process did not exit in time (it is then killed).
  Result<int> Stop(std::chrono::milliseconds limit = std::chrono::seconds(20));
  // Waits without signalling (after a test sent its own signal).
  Result<int> WaitForExit(std::chrono::milliseconds limit);
  bool running() const { return pid_ > 0; }

 private:
  Roostd() = default;
  Status WaitReady(std::chrono::milliseconds limit);

  TempDir dir_;
  std::string config_path_;
  std::string ready_path_;
  pid_t pid_ = -1;
  std::string backend_;
  std::map<std::string, std::string> listeners_;
};

}  // namespace roost::itest
