#include "support/roostd.h"

#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <cerrno>
#include <filesystem>
#include <thread>

#include <fmt/format.h>

#ifndef ROOSTD_PATH
#error "ROOSTD_PATH must be defined by the build"
#endif

namespace roost::itest {
namespace {

constexpr auto kReadyLimit = std::chrono::seconds(20);

}  // namespace

std::string RenderConfig(const RoostdOptions& o) {
  std::string toml = fmt::format(
      "[server]\n"
      "hostname = \"itest.localhost\"\n"
      "io_threads = 1\n"
      "workers = 2\n"
      "io_backend = \"{}\"\n"
      "shutdown_timeout = {}\n\n"
      "[log]\n"
      "level = \"info\"\n\n"
      "[tls]\n"
      "cert = \"cert.pem\"\n"
      "key = \"key.pem\"\n\n"
      "[admin]\n"
      "address = \"{}\"\n\n",
      o.backend, o.shutdown_timeout_s, o.admin ? "127.0.0.1:0" : "");
  for (const ListenerSpec& l : o.listeners) {
    toml += fmt::format(
        "[[listener]]\nname = \"{}\"\nprotocol = \"imap\"\naddress = \"127.0.0.1:0\"\ntls = \"{}\"\n\n",
        l.name, l.tls);
  }
  toml += o.extra_toml;
  return toml;
}

Status MakeSelfSignedCert(const std::string& dir) {
  std::string key = dir + "/key.pem";
  std::string cert = dir + "/cert.pem";
  ROOST_ASSIGN_OR_RETURN(
      CommandResult r,
      RunCommand({"/usr/bin/openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                  "ec_paramgen_curve:P-256", "-nodes", "-days", "3650", "-subj", "/CN=localhost",
                  "-keyout", key, "-out", cert},
                 dir, std::chrono::seconds(30)));
  if (r.exit_code != 0) return Status::Internal("openssl req failed: " + r.output);
  if (::chmod(key.c_str(), 0600) != 0) return Status::FromErrno(errno, "chmod(" + key + ")");
  return Status::Ok();
}

namespace {

// The next JSON string starting at or after `pos` (no escapes: ready-file
// names and addresses never need them). Advances `pos` past it.
bool NextString(const std::string& json, size_t& pos, size_t limit, std::string* out) {
  size_t open = json.find('"', pos);
  if (open == std::string::npos || open >= limit) return false;
  size_t close = json.find('"', open + 1);
  if (close == std::string::npos || close >= limit) return false;
  *out = json.substr(open + 1, close - open - 1);
  pos = close + 1;
  return true;
}

}  // namespace

// std::regex is avoided on purpose: gcc 12 -O1 with sanitizers reports
// false -Wmaybe-uninitialized inside <regex>.
Status ParseReadyFile(const std::string& json, std::string* backend,
                      std::map<std::string, std::string>* listeners) {
  size_t pos = json.find("\"backend\"");
  if (pos == std::string::npos) return Status::Corruption("no backend in: " + json);
  pos = json.find(':', pos);
  if (pos == std::string::npos || !NextString(json, pos, json.size(), backend)) {
    return Status::Corruption("bad backend in: " + json);
  }
  size_t at = json.find("\"listeners\"");
  if (at == std::string::npos) return Status::Corruption("no listeners in: " + json);
  size_t open = json.find('{', at);
  size_t close = open == std::string::npos ? open : json.find('}', open);
  if (close == std::string::npos) return Status::Corruption("bad listeners in: " + json);
  pos = open;
  std::string name, address;
  while (NextString(json, pos, close, &name) && NextString(json, pos, close, &address)) {
    (*listeners)[name] = address;
  }
  return Status::Ok();
}

Result<std::unique_ptr<Roostd>> Roostd::Start(const RoostdOptions& options) {
  std::unique_ptr<Roostd> d(new Roostd());
  if (d->dir_.path().empty()) return Status::Internal("mkdtemp failed");
  d->config_path_ = d->dir() + "/roost.toml";
  d->ready_path_ = d->dir() + "/ready.json";
  ROOST_RETURN_IF_ERROR(MakeSelfSignedCert(d->dir()));
  ROOST_RETURN_IF_ERROR(WriteTextFile(d->config_path_, RenderConfig(options)));
  ROOST_ASSIGN_OR_RETURN(
      d->pid_, Spawn({ROOSTD_PATH, "--config", d->config_path_, "--ready-file", d->ready_path_,
                      "--io-backend", options.backend},
                     d->dir() + "/roostd.log"));
  if (Status s = d->WaitReady(kReadyLimit); !s.ok()) {
    return s.WithContext("roostd log:\n" + d->Log());
  }
  return d;
}

Status Roostd::WaitReady(std::chrono::milliseconds limit) {
  auto end = std::chrono::steady_clock::now() + limit;
  while (!std::filesystem::exists(ready_path_)) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return Status::Unavailable(fmt::format("roostd exited before ready (status {:#x})", status));
    }
    if (std::chrono::steady_clock::now() >= end) {
      return Status::Unavailable("roostd wrote no ready file in time");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  // The file is renamed into place whole, so one read sees all of it.
  return ParseReadyFile(ReadTextFile(ready_path_), &backend_, &listeners_);
}

Roostd::~Roostd() {
  if (pid_ > 0) {
    ::kill(pid_, SIGKILL);
    WaitExit(pid_, std::chrono::seconds(10));
  }
}

uint16_t Roostd::Port(const std::string& name) const {
  auto it = listeners_.find(name);
  if (it == listeners_.end()) return 0;
  size_t colon = it->second.rfind(':');
  if (colon == std::string::npos) return 0;
  return static_cast<uint16_t>(std::stoi(it->second.substr(colon + 1)));
}

std::string Roostd::Log() const { return ReadTextFile(dir() + "/roostd.log"); }

Status Roostd::Signal(int sig) {
  if (pid_ <= 0) return Status::Unavailable("roostd is not running");
  if (::kill(pid_, sig) != 0) return Status::FromErrno(errno, "kill(roostd)");
  return Status::Ok();
}

Result<int> Roostd::WaitForExit(std::chrono::milliseconds limit) {
  if (pid_ <= 0) return Status::Unavailable("roostd is not running");
  std::optional<int> status = WaitExit(pid_, limit);
  if (!status) {
    ::kill(pid_, SIGKILL);
    WaitExit(pid_, std::chrono::seconds(10));
    pid_ = -1;
    return Status::Unavailable(fmt::format("roostd did not exit within {} ms", limit.count()));
  }
  pid_ = -1;
  return *status;
}

Result<int> Roostd::Stop(std::chrono::milliseconds limit) {
  ROOST_RETURN_IF_ERROR(Signal(SIGTERM));
  return WaitForExit(limit);
}

}  // namespace roost::itest
