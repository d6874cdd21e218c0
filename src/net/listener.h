// Listening sockets and the Listener that accepts on one of them.
//
// BindListenSocket() runs on the main thread before privileges are dropped.
// With SO_REUSEPORT every IO thread gets its own socket on the same
// address, so the kernel spreads new connections across loops without any
// shared accept lock. A port of 0 binds an ephemeral port; bind the first
// socket, read its port with BoundAddress(), and bind the others to it.
//
// A Listener belongs to one IoLoop: it multishot-accepts, applies the
// per-IP limit, checks PROXY trust, and hands the fd to the loop's
// ConnectionManager with the endpoint's HandlerFactory.
//
// Thread affinity: BindListenSocket/BoundAddress are plain functions; a
// Listener is IO thread only after construction.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "base/result.h"
#include "net/cidr.h"
#include "net/connection.h"
#include "net/connection_limiter.h"
#include "net/connection_manager.h"
#include "net/io_loop.h"
#include "net/protocol.h"

namespace roost::net {

// "127.0.0.1:143", "[::1]:993", "*:143" (all IPv4+IPv6), "0.0.0.0:0".
Result<int> BindListenSocket(std::string_view address, int backlog = 1024);
Result<SocketAddress> BoundAddress(int fd);

struct ListenerOptions {
  std::string name;  // endpoint name from the config ("imap", "imaps")
  ConnectionOptions connection;
  bool proxy_protocol = false;           // expect PROXY headers...
  std::vector<Cidr> trusted_proxies;     // ...only from these senders
  std::shared_ptr<ConnectionLimiter> limiter;  // shared across loops; may be null
};

class Listener {
 public:
  Listener(ConnectionManager& manager, int listen_fd, ListenerOptions options,
           std::shared_ptr<HandlerFactory> factory);
  ~Listener();
  Listener(const Listener&) = delete;
  Listener& operator=(const Listener&) = delete;

  Status Start();
  // Stops accepting; `done` runs on the IO thread once the socket is closed.
  void Stop(std::function<void()> done);

 private:
  void OnAccept(int fd, const SocketAddress& peer);

  ConnectionManager& manager_;
  int fd_;
  ListenerOptions options_;
  std::shared_ptr<HandlerFactory> factory_;
};

}  // namespace roost::net
