// Connection: one accepted socket and everything the IO thread keeps for it.
//
// It owns the fd, the optional TlsSession, the input bytes not yet framed,
// the output queue, the protocol's Framer, and a shared_ptr to the
// ConnectionHandler (the session). It drives the framer, enforces byte
// limits and pipelining credit, flushes output in batches (one Send per
// loop iteration at most, re-armed only on a short write), and closes in a
// deferred way: the object is destroyed only after the loop's Detach()
// callback, so no kernel operation and no callback on the stack can see a
// freed Connection.
//
// Sessions never see this class: they hold a ConnectionHandle (the
// thread-safe ConnectionSink half, which posts to the IO thread).
//
// Thread affinity: IO thread only, except the ConnectionSink half.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "base/limits.h"
#include "net/io_loop.h"
#include "net/protocol.h"
#include "net/tls.h"

namespace roost::net {

class ConnectionManager;

struct ConnectionOptions {
  ProtocolLimits limits;
  bool implicit_tls = false;
  // When set, the connection starts by reading a PROXY v1/v2 header.
  bool expect_proxy_header = false;
  // Current TLS context (reloadable); null when TLS is not configured.
  std::function<std::shared_ptr<TlsContext>()> tls_context;
  // Close a connection that sends nothing at all for this long before it
  // is greeted (PROXY header or TLS handshake pending). Session-level
  // idle timeouts (IMAP autologout) belong to the session.
  std::chrono::milliseconds handshake_timeout{30'000};
};

}  // namespace roost::net
