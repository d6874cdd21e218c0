// Service: roostd put together. Owns the IO loops and their threads, the
// worker executor, the listening sockets, the TLS context and the protocol
// factories, and runs the process's life: start, reload, drain, stop.
//
// Start() order (each step logged):
//   1. raise RLIMIT_NOFILE; build the TLS context (the key may be readable
//      only by root); create the IoLoops (probing io_uring);
//   2. bind every listener on this thread, one SO_REUSEPORT socket per
//      loop (the first socket fixes the real port when ":0" was asked);
//   3. drop privileges to [server].user;
//   4. start the executor and one thread per loop, each with a
//      ConnectionManager; build each loop's Listeners on its own thread;
//   5. write the ready file.
// Run() then waits for signals on the main thread: SIGHUP reloads, SIGTERM
// or SIGINT drains (stop accepting, sessions say BYE, wait up to
// shutdown_timeout, abort the rest, stop loops, drain workers).
//
// REQUIRES: BlockServerSignals() ran before any thread was created.
// Thread affinity: main thread only.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "base/status.h"
#include "exec/executor.h"
#include "net/connection_limiter.h"
#include "net/connection_manager.h"
#include "net/io_loop.h"
#include "net/listener.h"
#include "server/config.h"
#include "server/tls_holder.h"

namespace roost::server {

class Service {
 public:
  struct Overrides {
    std::optional<net::IoBackend> io_backend;  // --io-backend
    std::string ready_file;                    // --ready-file; empty: none
  };

  Service(Config config, Overrides overrides);
  ~Service();
  Service(const Service&) = delete;
  Service& operator=(const Service&) = delete;

  Status Start();
  // Serves until SIGTERM/SIGINT, then drains. Returns the exit code.
  int Run();

 private:
  // One IO thread: its loop, its connections, its listeners.
  struct Loop {
    std::unique_ptr<net::IoLoop> loop;
    std::unique_ptr<net::ConnectionManager> manager;
    std::vector<std::unique_ptr<net::Listener>> listeners;  // IO thread only
    std::thread thread;
  };
  // One configured endpoint: its sockets (one per loop, or one for admin)
  // until Listeners take them over.
  struct Endpoint {
    std::string name;
    std::string mode;  // "starttls", "implicit", "none", "http": for logs
    std::string bound;  // the real address, after binding
    std::vector<int> fds;
    net::ListenerOptions options;
    std::shared_ptr<net::HandlerFactory> factory;
  };

  Status CreateLoops();
  Status BindEndpoints();
  Status BindEndpoint(Endpoint& endpoint, const std::string& address, unsigned sockets);
  Status CreateFactories();
  void StartThreads();
  Status StartListeners();
  Status WriteReady() const;
  net::ConnectionOptions ConnectionOptionsFor(TlsMode mode) const;

  void Reload();
  void Shutdown();
  // service_shutdown.cc
  void StopListeners();
  bool WaitForConnections(std::chrono::milliseconds timeout) const;
  void ForEachLoop(const std::function<void(Loop&)>& fn);
  void StopLoops();
  size_t OpenConnections() const;

  Config config_;
  Overrides overrides_;
  std::shared_ptr<TlsHolder> tls_ = std::make_shared<TlsHolder>();
  std::shared_ptr<net::ConnectionLimiter> limiter_;
  // Declared before what uses it, so it is destroyed last: factories and
  // sessions hold references to it.
  std::unique_ptr<exec::Executor> executor_;
  std::vector<Endpoint> endpoints_;
  std::vector<std::unique_ptr<Loop>> loops_;
  bool threads_started_ = false;
  bool stopped_ = false;
};

}  // namespace roost::server
