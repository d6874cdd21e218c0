#include "net/connection_manager.h"

#include <unistd.h>

#include <utility>
#include <vector>

#include "base/log.h"
#include "net/connection.h"

namespace roost::net {

namespace {

// Process-wide, so log lines and session ids never repeat across loops.
std::atomic<uint64_t> next_connection_id{1};

}  // namespace

ConnectionManager::ConnectionManager(IoLoop& loop) : loop_(loop) {}

ConnectionManager::~ConnectionManager() {
  // REQUIRES: the loop no longer runs (or every connection has closed).
  // Destroying a live Connection closes its fd and still calls OnClose.
  connections_.clear();
  live_.store(0, std::memory_order_release);
}

void ConnectionManager::Adopt(int fd, const PeerInfo& peer, const ConnectionOptions& options,
                              std::shared_ptr<HandlerFactory> factory, std::function<void()> on_closed) {
  uint64_t id = next_connection_id.fetch_add(1, std::memory_order_relaxed);
  auto connection =
      std::make_unique<Connection>(*this, id, fd, peer, options, std::move(factory), std::move(on_closed));
  Connection* raw = connection.get();
  connections_.emplace(id, std::move(connection));
  live_.fetch_add(1, std::memory_order_acq_rel);
  Status status = raw->Start();
  if (!status.ok()) {
    // Nothing is attached: destroying it closes the fd and runs on_closed.
    ROOST_LOG_WARN("conn={} cannot attach socket: {}", id, status.ToString());
    Destroy(id);
  }
}

// Calls `fn` on each connection. Ids are collected first, so callbacks that
// end up closing a connection (never destroyed inline: Detach is deferred)
// cannot invalidate the iteration.
template <typename Fn>
static void ForEach(std::unordered_map<uint64_t, std::unique_ptr<Connection>>& map, Fn fn) {
  std::vector<uint64_t> ids;
  ids.reserve(map.size());
  for (const auto& [id, connection] : map) ids.push_back(id);
  for (uint64_t id : ids) {
    auto it = map.find(id);
    if (it != map.end()) fn(*it->second);
  }
}

void ConnectionManager::Drain() {
  ForEach(connections_, [](Connection& c) { c.Shutdown(); });
}

void ConnectionManager::AbortAll() {
  ForEach(connections_, [](Connection& c) { c.Abort(); });
}

void ConnectionManager::Destroy(uint64_t id) {
  auto it = connections_.find(id);
  if (it == connections_.end()) return;
  // Move out first: the destructor may run callbacks that look at the map.
  std::unique_ptr<Connection> connection = std::move(it->second);
  connections_.erase(it);
  live_.fetch_sub(1, std::memory_order_acq_rel);
  connection.reset();
}

}  // namespace roost::net
