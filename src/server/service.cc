// Service startup, reload and the signal loop. Shutdown is in
// service_shutdown.cc.
#include "server/service.h"

#include <unistd.h>

#include <algorithm>
#include <future>

#include <fmt/format.h>

#include "base/log.h"
#include "server/admin_http.h"
#include "server/privileges.h"
#include "server/protocols.h"
#include "server/ready_file.h"
#include "server/signals.h"

namespace roost::server {

Service::Service(Config config, Overrides overrides)
    : config_(std::move(config)),
      overrides_(std::move(overrides)),
      limiter_(std::make_shared<net::ConnectionLimiter>(config_.server.max_connections_per_ip)) {}

Service::~Service() {
  if (threads_started_ && !stopped_) {
    // A failed Start(): nothing was served yet, so no draining.
    StopListeners();
    StopLoops();
  }
  if (executor_) executor_->Drain();
  loops_.clear();
  for (Endpoint& endpoint : endpoints_) {
    for (int fd : endpoint.fds) {
      if (fd >= 0) close(fd);
    }
  }
}

Status Service::Start() {
  Result<unsigned long> fds = RaiseFdLimit();
  if (fds.has_value()) {
    ROOST_LOG_INFO("file descriptor limit: {}", *fds);
  } else {
    ROOST_LOG_WARN("could not raise the file descriptor limit: {}", fds.error().ToString());
  }
  if (config_.tls.configured) {
    ROOST_ASSIGN_OR_RETURN(auto context, net::TlsContext::Create(config_.tls.options));
    tls_->Set(std::move(context));
    ROOST_LOG_INFO("tls: certificate {}", config_.tls.options.cert_file);
  }
  ROOST_RETURN_IF_ERROR(CreateLoops());
  ROOST_RETURN_IF_ERROR(BindEndpoints());
  ROOST_RETURN_IF_ERROR(DropPrivileges(config_.server.user, config_.server.group));
  executor_ = std::make_unique<exec::Executor>(config_.server.workers);
  ROOST_LOG_INFO("workers: {}", executor_->concurrency());
  ROOST_RETURN_IF_ERROR(CreateFactories());
  StartThreads();
  ROOST_RETURN_IF_ERROR(StartListeners());
  if (!overrides_.ready_file.empty()) ROOST_RETURN_IF_ERROR(WriteReady());
  ROOST_LOG_INFO("roostd ready (pid {})", getpid());
  return Status::Ok();
}

Status Service::CreateLoops() {
  net::IoLoop::Options options;
  options.backend = overrides_.io_backend.value_or(config_.server.io_backend);
  for (unsigned i = 0; i < config_.server.io_threads; ++i) {
    auto loop = std::make_unique<Loop>();
    ROOST_ASSIGN_OR_RETURN(loop->loop, net::IoLoop::Create(options));
    loop->manager = std::make_unique<net::ConnectionManager>(*loop->loop);
    loops_.push_back(std::move(loop));
  }
  ROOST_LOG_INFO("io backend: {} ({} loop{})", net::IoBackendName(loops_.front()->loop->backend()),
                 loops_.size(), loops_.size() == 1 ? "" : "s");
  return Status::Ok();
}

// Binds `sockets` sockets to `address`. With port 0 the first socket gets
// an ephemeral port and the others are bound to that same port, so all
// loops share one SO_REUSEPORT group.
Status Service::BindEndpoint(Endpoint& endpoint, const std::string& address, unsigned sockets) {
  ROOST_ASSIGN_OR_RETURN(int first, net::BindListenSocket(address));
  endpoint.fds.push_back(first);
  ROOST_ASSIGN_OR_RETURN(net::SocketAddress bound, net::BoundAddress(first));
  endpoint.bound = bound.ToString();
  const std::string same_port = fmt::format("{}:{}", address.substr(0, address.rfind(':')), bound.Port());
  for (unsigned i = 1; i < sockets; ++i) {
    Result<int> fd = net::BindListenSocket(same_port);
    if (!fd.has_value()) return fd.error().WithContext(fmt::format("listener {}", endpoint.name));
    endpoint.fds.push_back(*fd);
  }
  return Status::Ok();
}

Status Service::BindEndpoints() {
  for (const ListenerConfig& l : config_.listeners) {
    Endpoint endpoint;
    endpoint.name = l.name;
    endpoint.mode = std::string(TlsModeName(l.tls));
    endpoint.options.name = l.name;
    endpoint.options.connection = ConnectionOptionsFor(l.tls);
    endpoint.options.proxy_protocol = l.proxy_protocol;
    endpoint.options.trusted_proxies = l.trusted_proxies;
    endpoint.options.limiter = limiter_;
    endpoints_.push_back(std::move(endpoint));
    Status bound = BindEndpoint(endpoints_.back(), l.address, static_cast<unsigned>(loops_.size()));
    if (!bound.ok()) return bound.WithContext(fmt::format("listener {} on {}", l.name, l.address));
  }
  if (!config_.admin_address.empty()) {
    Endpoint admin;
    admin.name = "admin";
    admin.mode = "http";
    admin.options.name = "admin";
    admin.options.connection = ConnectionOptionsFor(TlsMode::kNone);
    endpoints_.push_back(std::move(admin));
    // One socket on the first loop: the admin port sees a scraper, not load.
    Status bound = BindEndpoint(endpoints_.back(), config_.admin_address, 1);
    if (!bound.ok()) return bound.WithContext(fmt::format("admin listener on {}", config_.admin_address));
  }
  return Status::Ok();
}

net::ConnectionOptions Service::ConnectionOptionsFor(TlsMode mode) const {
  net::ConnectionOptions options;
  options.limits = config_.limits;
  options.implicit_tls = mode == TlsMode::kImplicit;
  if (mode != TlsMode::kNone) {
    options.tls_context = [holder = tls_] { return holder->Get(); };
  }
  return options;
}

Status Service::CreateFactories() {
  size_t i = 0;
  for (const ListenerConfig& l : config_.listeners) {
    ROOST_ASSIGN_OR_RETURN(endpoints_[i].factory, NewProtocolFactory(l, config_, *executor_));
    ++i;
  }
  if (i < endpoints_.size()) {
    endpoints_[i].factory = std::make_shared<AdminHttpFactory>(static_cast<unsigned>(loops_.size()));
  }
  return Status::Ok();
}

void Service::StartThreads() {
  for (auto& loop : loops_) {
    net::IoLoop* io = loop->loop.get();
    loop->thread = std::thread([io] { io->Run(); });
  }
  threads_started_ = true;
}

// Each Listener is built and started on its own loop's thread, since it is
// IO thread only from birth; the main thread waits for each result.
Status Service::StartListeners() {
  for (Endpoint& endpoint : endpoints_) {
    for (size_t i = 0; i < endpoint.fds.size(); ++i) {
      Loop& loop = *loops_[i];
      std::promise<Status> started;
      std::future<Status> result = started.get_future();
      int fd = endpoint.fds[i];
      endpoint.fds[i] = -1;  // the Listener owns it from here
      loop.loop->Post([&loop, &endpoint, fd, &started] {
        auto listener = std::make_unique<net::Listener>(*loop.manager, fd, endpoint.options, endpoint.factory);
        Status status = listener->Start();
        loop.listeners.push_back(std::move(listener));
        started.set_value(std::move(status));
      });
      Status status = result.get();
      if (!status.ok()) return status.WithContext(fmt::format("listener {}", endpoint.name));
    }
    ROOST_LOG_INFO("listening {} on {} ({})", endpoint.name, endpoint.bound, endpoint.mode);
  }
  return Status::Ok();
}

Status Service::WriteReady() const {
  ReadyInfo info;
  info.pid = getpid();
  info.backend = std::string(net::IoBackendName(loops_.front()->loop->backend()));
  for (const Endpoint& endpoint : endpoints_) info.listeners.emplace_back(endpoint.name, endpoint.bound);
  return WriteReadyFile(overrides_.ready_file, info);
}

int Service::Run() {
  for (;;) {
    if (WaitForSignal() == ServerSignal::kShutdown) break;
    Reload();
  }
  Shutdown();
  return 0;
}

namespace {

bool SameListeners(const Config& a, const Config& b) {
  if (a.listeners.size() != b.listeners.size()) return false;
  for (size_t i = 0; i < a.listeners.size(); ++i) {
    const ListenerConfig& x = a.listeners[i];
    const ListenerConfig& y = b.listeners[i];
    if (x.name != y.name || x.protocol != y.protocol || x.address != y.address || x.tls != y.tls ||
        x.proxy_protocol != y.proxy_protocol || x.trusted_proxies.size() != y.trusted_proxies.size()) {
      return false;
    }
  }
  return true;
}

}  // namespace

// SIGHUP: what can change without rebinding changes now (TLS certificate,
// log level, per-IP limit); the rest needs a restart and says so.
void Service::Reload() {
  ROOST_LOG_INFO("reloading {}", config_.path);
  Result<Config> loaded = LoadConfig(config_.path);
  if (!loaded.has_value()) {
    std::string_view errors = loaded.error().message();
    for (size_t start = 0; start < errors.size();) {
      size_t end = std::min(errors.find('\n', start), errors.size());
      ROOST_LOG_ERROR("reload failed: {}", errors.substr(start, end - start));
      start = end + 1;
    }
    ROOST_LOG_ERROR("reload failed; keeping the running configuration");
    return;
  }
  Config& next = *loaded;
  std::shared_ptr<net::TlsContext> context;
  if (next.tls.configured) {
    Result<std::shared_ptr<net::TlsContext>> built = net::TlsContext::Create(next.tls.options);
    if (!built.has_value()) {
      ROOST_LOG_ERROR("reload failed, keeping the running configuration: tls: {}", built.error().ToString());
      return;
    }
    context = std::move(*built);
  } else if (config_.tls.configured) {
    ROOST_LOG_ERROR("reload failed: [tls] cannot be removed while running; restart instead");
    return;
  }
  if (context) tls_->Set(std::move(context));
  spdlog::set_level(spdlog::level::from_str(next.log.level));
  limiter_->set_max_per_ip(next.server.max_connections_per_ip);
  if (!SameListeners(next, config_) || next.admin_address != config_.admin_address ||
      next.server.io_threads != config_.server.io_threads || next.log.file != config_.log.file) {
    ROOST_LOG_WARN("listener, thread and log file changes take effect after a restart");
  }
  config_.tls = next.tls;
  config_.log.level = next.log.level;
  config_.server.max_connections_per_ip = next.server.max_connections_per_ip;
  ROOST_LOG_INFO("reloaded: tls {}, log level {}", config_.tls.configured ? "renewed" : "off",
                 config_.log.level);
}

}  // namespace roost::server
