// roostd: the Roost mail access server.
//
//   roostd --config FILE                 serve in the foreground
//   roostd --config FILE --check-config  validate, print "config OK" or the errors
//   --io-backend auto|uring|epoll        override [server].io_backend
//   --ready-file PATH                    write {"pid",..,"listeners"} once serving
//
// Exit status: 0 after a clean shutdown or a valid config; 1 for a config
// error or a failure to start.
#include <unistd.h>

#include <cstdio>
#include <string>

#include <CLI/CLI.hpp>

#include "base/log.h"
#include "net/tls.h"
#include "server/config.h"
#include "server/service.h"
#include "server/signals.h"

namespace {

using roost::server::Config;

// --check-config goes one step further than parsing: the certificate and
// key must load, since that is the usual reason a reload or start fails.
int CheckConfig(const roost::Result<Config>& config) {
  if (!config.has_value()) {
    std::fprintf(stderr, "%s\n", std::string(config.error().message()).c_str());
    return 1;
  }
  if (config->tls.configured) {
    auto context = roost::net::TlsContext::Create(config->tls.options);
    if (!context.has_value()) {
      std::fprintf(stderr, "%s: tls: %s\n", config->path.c_str(), context.error().ToString().c_str());
      return 1;
    }
  }
  std::printf("config OK\n");
  return 0;
}

int Serve(Config config, roost::server::Service::Overrides overrides) {
  roost::Status status = roost::log::Init(config.log);
  if (!status.ok()) {
    std::fprintf(stderr, "%s: log: %s\n", config.path.c_str(), status.ToString().c_str());
    return 1;
  }
  ROOST_LOG_INFO("roostd starting (pid {}, config {})", getpid(), config.path);
  roost::server::Service service(std::move(config), std::move(overrides));
  status = service.Start();
  if (!status.ok()) {
    ROOST_LOG_ERROR("startup failed: {}", status.ToString());
    return 1;
  }
  return service.Run();
}

}  // namespace

int main(int argc, char** argv) {
  // Before any thread exists, so every thread inherits the mask.
  roost::Status blocked = roost::server::BlockServerSignals();
  if (!blocked.ok()) {
    std::fprintf(stderr, "roostd: %s\n", blocked.ToString().c_str());
    return 1;
  }

  CLI::App app{"roostd: Roost mail access server (IMAP over Maildir++)"};
  std::string config_path = "/etc/roost/roost.toml";
  bool check_only = false;
  std::string backend;
  std::string ready_file;
  app.add_option("-c,--config", config_path, "Configuration file (conf.d/ beside it is read too)");
  app.add_flag("--check-config", check_only, "Validate the configuration and exit");
  app.add_option("--io-backend", backend, "Override [server].io_backend")
      ->check(CLI::IsMember({"auto", "uring", "epoll"}));
  app.add_option("--ready-file", ready_file, "Write listener addresses as JSON here once serving");
  CLI11_PARSE(app, argc, argv);

  roost::Result<Config> config = roost::server::LoadConfig(config_path);
  if (check_only) return CheckConfig(config);
  if (!config.has_value()) {
    std::fprintf(stderr, "%s\n", std::string(config.error().message()).c_str());
    return 1;
  }
  roost::server::Service::Overrides overrides;
  if (!backend.empty()) overrides.io_backend = *roost::net::ParseIoBackend(backend);
  overrides.ready_file = ready_file;
  return Serve(std::move(*config), std::move(overrides));
}
