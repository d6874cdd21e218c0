// ConnectionManager: the table of live connections of one IoLoop.
//
// It owns every Connection of its loop (created by that loop's Listeners),
// keeps counts and metrics per protocol, and drives shutdown: Drain() tells
// each session to finish and say goodbye, AbortAll() closes what is left.
// Connections are destroyed here, after the loop's Detach callback.
//
// Thread affinity: IO thread only, except size() and the counters, which
// are atomics readable from any thread (admin /metrics, tests).
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>

#include "net/connection.h"
#include "net/io_loop.h"
#include "net/protocol.h"

namespace roost::net {

class Connection;

class ConnectionManager {
 public:
  explicit ConnectionManager(IoLoop& loop);
  ~ConnectionManager();
  ConnectionManager(const ConnectionManager&) = delete;
  ConnectionManager& operator=(const ConnectionManager&) = delete;

  IoLoop& loop() { return loop_; }

  // Takes ownership of an accepted fd and starts its connection.
  // `on_closed` runs (IO thread) when the connection is finally destroyed.
  void Adopt(int fd, const PeerInfo& peer, const ConnectionOptions& options,
             std::shared_ptr<HandlerFactory> factory, std::function<void()> on_closed);

  // Asks every session to finish its command and close (ConnectionHandler::OnShutdown).
  void Drain();
  // Closes every connection now.
  void AbortAll();

  // Live connections on this loop. Thread-safe.
  size_t size() const { return live_.load(std::memory_order_acquire); }

  // Called by Connection once Detach completed. IO thread.
  void Destroy(uint64_t id);

 private:
  IoLoop& loop_;
  std::unordered_map<uint64_t, std::unique_ptr<Connection>> connections_;
  std::atomic<size_t> live_{0};
};

}  // namespace roost::net
