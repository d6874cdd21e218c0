// TlsHolder: the current TLS context, swappable at runtime (SIGHUP).
//
// Listeners read it through ConnectionOptions::tls_context when a
// connection starts TLS; a reload stores a new context, and connections
// that already took the old one keep it alive through their shared_ptr.
// A mutex rather than std::atomic<std::shared_ptr>: it is taken once per
// TLS handshake, and libstdc++'s atomic shared_ptr is a lock too.
//
// Thread affinity: thread-safe.
#pragma once

#include <memory>
#include <mutex>

#include "net/tls.h"

namespace roost::server {

class TlsHolder {
 public:
  std::shared_ptr<net::TlsContext> Get() const {
    std::lock_guard lock(mu_);
    return context_;
  }
  void Set(std::shared_ptr<net::TlsContext> context) {
    std::lock_guard lock(mu_);
    context_ = std::move(context);
  }

 private:
  mutable std::mutex mu_;
  std::shared_ptr<net::TlsContext> context_;  // GUARDED_BY(mu_)
};

}  // namespace roost::server
