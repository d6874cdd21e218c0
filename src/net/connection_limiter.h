// ConnectionLimiter: counts open connections per client IP across all IO
// threads, so "at most N connections from one address" holds process-wide.
// IPv6 clients are counted per /64, since one host usually owns a /64.
//
// Thread affinity: thread-safe (a sharded mutex map; touched once at
// accept and once at close, never on the data path).
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

#include "net/io_loop.h"

namespace roost::net {

class ConnectionLimiter {
 public:
  // `max_per_ip` == 0 means unlimited.
  explicit ConnectionLimiter(unsigned max_per_ip) : max_per_ip_(max_per_ip) {}
  ConnectionLimiter(const ConnectionLimiter&) = delete;
  ConnectionLimiter& operator=(const ConnectionLimiter&) = delete;

  // Counts a new connection; false (and nothing counted) when over limit.
  [[nodiscard]] bool TryAcquire(const SocketAddress& peer);
  void Release(const SocketAddress& peer);
  unsigned Count(const SocketAddress& peer) const;
  void set_max_per_ip(unsigned max) { max_per_ip_ = max; }

  // The counting key: IPv4 address, or the /64 prefix of an IPv6 one.
  static std::string KeyFor(const SocketAddress& peer);

 private:
  struct Shard {
    mutable std::mutex mu;
    std::unordered_map<std::string, unsigned> counts;  // GUARDED_BY(mu)
  };
  Shard& ShardFor(const std::string& key) const;

  std::atomic<unsigned> max_per_ip_;
  mutable std::array<Shard, 16> shards_;
};

}  // namespace roost::net
