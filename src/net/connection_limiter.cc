#include "net/connection_limiter.h"

#include <netinet/in.h>

#include <cstring>
#include <functional>

#include <fmt/format.h>

namespace roost::net {

namespace {

bool IsV4Mapped(const in6_addr& a) {
  static constexpr uint8_t kPrefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  return std::memcmp(a.s6_addr, kPrefix, sizeof(kPrefix)) == 0;
}

}  // namespace

std::string ConnectionLimiter::KeyFor(const SocketAddress& peer) {
  if (peer.storage.ss_family == AF_INET) return peer.Host();
  if (peer.storage.ss_family != AF_INET6) return peer.Host();
  const auto& a = reinterpret_cast<const sockaddr_in6*>(&peer.storage)->sin6_addr;
  if (IsV4Mapped(a)) {
    // A dual-stack socket reports IPv4 clients as ::ffff:a.b.c.d; count them
    // under the same key as a plain IPv4 socket would.
    return fmt::format("{}.{}.{}.{}", a.s6_addr[12], a.s6_addr[13], a.s6_addr[14], a.s6_addr[15]);
  }
  // One host usually owns a whole /64 and can pick any address in it, so
  // per-address counting would be no limit at all.
  std::string key;
  key.reserve(24);
  for (int i = 0; i < 8; i += 2) {
    key += fmt::format("{:02x}{:02x}:", a.s6_addr[i], a.s6_addr[i + 1]);
  }
  key += ":/64";
  return key;
}

ConnectionLimiter::Shard& ConnectionLimiter::ShardFor(const std::string& key) const {
  return shards_[std::hash<std::string>{}(key) % shards_.size()];
}

bool ConnectionLimiter::TryAcquire(const SocketAddress& peer) {
  std::string key = KeyFor(peer);
  Shard& shard = ShardFor(key);
  unsigned max = max_per_ip_.load(std::memory_order_relaxed);
  std::lock_guard lock(shard.mu);
  unsigned& count = shard.counts[key];
  // Counted even when unlimited, so that raising or lowering the limit at
  // runtime (config reload) keeps Release() balanced.
  if (max != 0 && count >= max) return false;
  ++count;
  return true;
}

void ConnectionLimiter::Release(const SocketAddress& peer) {
  std::string key = KeyFor(peer);
  Shard& shard = ShardFor(key);
  std::lock_guard lock(shard.mu);
  auto it = shard.counts.find(key);
  if (it == shard.counts.end()) return;
  if (--it->second == 0) shard.counts.erase(it);
}

unsigned ConnectionLimiter::Count(const SocketAddress& peer) const {
  std::string key = KeyFor(peer);
  Shard& shard = ShardFor(key);
  std::lock_guard lock(shard.mu);
  auto it = shard.counts.find(key);
  return it == shard.counts.end() ? 0 : it->second;
}

}  // namespace roost::net
