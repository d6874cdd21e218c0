// The seam between net/ and proto/: framing, handlers and the handle a
// session uses to talk back to its connection.
//
// net/ never includes proto/. A protocol plugs in with a HandlerFactory,
// which makes one Framer (sans-IO: bytes in, whole frames out) and one
// ConnectionHandler (the Session) per connection. The IO thread runs the
// framer and hands whole frames to the handler; the handler posts them to
// its strand. Replies come back through the thread-safe ConnectionHandle.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/limits.h"
#include "net/io_loop.h"

namespace roost::net {

// A frame the framer could not accept. The session answers it (it knows
// the tag when the framer could read one) and the connection goes on unless
// `fatal`, in which case it closes after the session's reply is flushed.
struct FrameError {
  enum class Kind { kLineTooLong, kLiteralTooLarge, kTooManyLiterals, kFrameTooLarge, kBadLiteral };
  Kind kind;
  bool fatal = false;
  std::string tag;  // first word of the line, if it was readable
};
std::string_view FrameErrorName(FrameError::Kind kind);

// One whole command: its bytes exactly as received (line, literal markers
// and literal contents), without the final CRLF; or an error.
struct Frame {
  std::string bytes;
  std::optional<FrameError> error;
};

// One decision of a framer.
struct FramerStep {
  enum class Kind {
    kNeedMore,      // everything given was consumed; wait for more bytes
    kFrame,         // `frame` is complete
    kContinuation,  // send `continuation` now (e.g. "+ OK\r\n" for {n})
  };
  Kind kind = Kind::kNeedMore;
  size_t consumed = 0;  // bytes of the input used by this step
  Frame frame;
  std::string continuation;
};

// Sans-IO framer: finds frame boundaries and enforces FrameLimits. Never
// reads sockets, never blocks; the same input split at any byte boundary
// gives the same frames.
//
// Thread affinity: owned by one Connection, IO thread only.
class Framer {
 public:
  virtual ~Framer() = default;
  // Consumes a prefix of `input` and says what happened. The caller drops
  // `consumed` bytes and calls again until kNeedMore with consumed == size.
  virtual FramerStep Step(std::string_view input) = 0;
  virtual void SetLimits(const FrameLimits& limits) = 0;
  // True when no partial frame is held (the connection may free buffers).
  virtual bool Idle() const = 0;
};

// Who is on the other end.
struct PeerInfo {
  SocketAddress remote;  // the real client (after a trusted PROXY header)
  SocketAddress local;
  bool proxied = false;  // remote came from a PROXY protocol header
  std::string listener;  // endpoint name from the config, e.g. "imaps"
  bool implicit_tls = false;
};

// Facts about the TLS layer, once the handshake is done.
struct TlsInfo {
  std::string version;  // "TLSv1.3"
  std::string cipher;
  std::string peer_subject;  // client certificate subject, if any
  bool peer_verified = false;
};

// Implemented by sessions. Every method is called on the IO thread and
// must return quickly (post to the strand).
class ConnectionHandler {
 public:
  virtual ~ConnectionHandler() = default;
  // The connection is ready (after PROXY header, after an implicit-TLS
  // handshake): send the greeting.
  virtual void OnOpen(const PeerInfo& peer) = 0;
  // A frame. The connection delivers at most `pipeline` frames before the
  // session returns credit with ConnectionHandle::FrameDone().
  virtual void OnFrame(Frame frame) = 0;
  // The output queue fell below the soft limit after RequestWritable().
  virtual void OnWritable() = 0;
  // STARTTLS finished its handshake (ok) or failed (the connection closes).
  virtual void OnTlsStarted(const Status& status, const TlsInfo& info) = 0;
  // The server is draining: say goodbye when the current command is done.
  virtual void OnShutdown() = 0;
  // The connection is gone. No further calls follow; writes are dropped.
  virtual void OnClose() = 0;
};

// The connection as a session sees it. Implemented by net::Connection's
// shared half (and by fakes in protocol tests). Every method is
// thread-safe; after the connection has closed, calls are harmless no-ops.
class ConnectionSink {
 public:
  virtual ~ConnectionSink() = default;
  // Queues output. Consecutive writes are batched into one send.
  virtual void Write(std::string data) = 0;
  // Sends everything queued, then closes.
  virtual void CloseAfterFlush() = 0;
  // Closes now, dropping queued output.
  virtual void Abort() = 0;
  // Flushes queued output in plaintext (the "OK Begin TLS" reply), drops
  // any unparsed input (RFC 3207 §4.2 / CVE-2011-0411: nothing sent before
  // the handshake may be trusted), then runs a server TLS handshake.
  // ConnectionHandler::OnTlsStarted follows.
  virtual void StartTls() = 0;
  // Switches framing limits and pipelining depth to post-login values.
  virtual void SetAuthenticated() = 0;
  // Returns one frame of pipelining credit.
  virtual void FrameDone() = 0;
  // Asks for one OnWritable() once queued output is below the soft limit.
  virtual void RequestWritable() = 0;
  // Bytes queued and not yet sent. Approximate (racy by nature).
  virtual size_t QueuedBytes() const = 0;
  // True once queued output is at or above the soft limit: the session
  // should stop producing and RequestWritable().
  virtual bool OverSoftLimit() const = 0;
  // Whether TLS is active (implicit, or after STARTTLS).
  virtual bool TlsActive() const = 0;
  virtual uint64_t id() const = 0;
};

// The session's handle on its connection: a shared reference to the sink.
using ConnectionHandle = std::shared_ptr<ConnectionSink>;

// One per protocol endpoint (IMAP, POP3, admin HTTP...). Stateless or
// thread-safe: used by every IO thread.
class HandlerFactory {
 public:
  virtual ~HandlerFactory() = default;
  virtual std::string_view protocol() const = 0;  // "imap", for metrics/logs
  virtual std::unique_ptr<Framer> NewFramer() = 0;
  virtual std::shared_ptr<ConnectionHandler> NewHandler(ConnectionHandle handle, const PeerInfo& peer) = 0;
};

}  // namespace roost::net
