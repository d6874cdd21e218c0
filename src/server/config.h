// Config: roostd's configuration, as read from TOML.
//
// One main file plus <dir of main file>/conf.d/*.toml, applied in that
// order (conf.d files in lexical byte order). Each file is checked against
// the schema on its own and then applied on top of what came before:
// tables merge key by key (a later file's key wins), arrays of tables
// ([[listener]]) are appended. After the last file, defaults that depend on
// other keys are filled in and cross-key rules are checked. The reference
// for every key is doc/config.md; keep the two in step.
//
// Errors are collected, not stopped at: LoadConfig() returns every problem
// it found, one per line, each as "<file>: <key>: <reason>", e.g.
// "roost.toml: listener[1].tls: must be one of none, starttls, implicit".
// Array indices are 0-based and count within the file that holds them.
//
// Thread affinity: plain data; LoadConfig is a pure function of the files.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "base/limits.h"
#include "base/log.h"
#include "base/result.h"
#include "net/cidr.h"
#include "net/io_loop.h"
#include "net/tls.h"

namespace roost::server {

enum class TlsMode { kNone, kStartTls, kImplicit };
std::string_view TlsModeName(TlsMode mode);

struct ServerSection {
  std::string hostname;  // resolved to gethostname() when empty in the file
  unsigned io_threads = 1;
  unsigned workers = 0;  // 0: one per hardware thread
  net::IoBackend io_backend = net::IoBackend::kAuto;
  std::string user;   // empty: keep the starting user
  std::string group;  // empty: the user's primary group
  std::chrono::seconds shutdown_timeout{10};
  unsigned max_connections_per_ip = 0;  // 0: unlimited
};

struct TlsSection {
  // True when [tls].cert is set; the paths below are then absolute or
  // relative to the working directory (resolved from the config dir).
  bool configured = false;
  net::TlsOptions options;
};

struct ListenerConfig {
  std::string name;
  std::string protocol = "imap";
  std::string address;
  TlsMode tls = TlsMode::kNone;
  bool proxy_protocol = false;
  std::vector<net::Cidr> trusted_proxies;
  // Where it was defined, for error messages: "roost.toml: listener[0]".
  std::string origin;
};

struct Config {
  std::string path;        // the main file, as given
  std::string directory;   // its directory: base for relative paths
  ServerSection server;
  log::Options log;
  TlsSection tls;
  ProtocolLimits limits;
  std::string admin_address = "127.0.0.1:8026";  // empty: no admin listener
  std::vector<ListenerConfig> listeners;
};

// Reads `path` and its conf.d. On failure the Status (InvalidArgument)
// holds every error, newline-separated.
Result<Config> LoadConfig(const std::string& path);

// Same, from in-memory documents: `files` are (name, TOML text) pairs in
// application order, `directory` the base for relative paths. For tests.
struct ConfigSource {
  std::string name;
  std::string text;
};
Result<Config> LoadConfigFromStrings(const std::vector<ConfigSource>& files, const std::string& directory);

// The files LoadConfig reads for `path`, in order: path itself, then
// conf.d/*.toml beside it sorted by name. Missing conf.d is fine.
std::vector<std::string> ConfigFiles(const std::string& path);

// Checks "host:port" as accepted by net::BindListenSocket: an IPv4
// address, "[IPv6]", or "*", then a port 0-65535. Empty string on
// success, else the reason.
std::string CheckAddress(std::string_view address);

}  // namespace roost::server
