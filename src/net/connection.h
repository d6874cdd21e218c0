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

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>

#include "base/limits.h"
#include "net/io_loop.h"
#include "net/output_queue.h"
#include "net/protocol.h"
#include "net/tls.h"

namespace roost::net {

class ConnectionManager;
class ConnectionSinkImpl;
struct ConnectionMetrics;

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
  // Also bounds the final flush after CloseAfterFlush.
  std::chrono::milliseconds handshake_timeout{30'000};
};

// Input: the framer runs only while pipelining credit remains (frames
// delivered and not yet FrameDone() < pipeline depth). A frame with a
// fatal FrameError is delivered like any other, then framing stops; once
// the session returns its credit (after answering it) the connection
// closes after flushing. While framing is stopped and unframed input
// passes max_line plus a little, receiving pauses (kernel backpressure).
//
// Timers: options.handshake_timeout bounds the PROXY header, TLS
// handshakes (implicit and STARTTLS), and the final flush of
// CloseAfterFlush to a peer that does not read.
//
// Lifecycle: Start() -> [PROXY header] -> [TLS handshake] -> open
// (handler->OnOpen) -> closing (loop.Detach pending) -> closed (fd closed,
// handler->OnClose once, on_closed, ConnectionManager::Destroy).
//
// The ConnectionSink half (ConnectionSinkImpl, see connection_sink.h) is
// shared with the session. It reaches this object only from functions it
// posts to the IO thread, through a raw pointer that the IO thread clears
// when closing starts; so once closing, sink calls are no-ops, and the
// Connection can be destroyed while sessions still hold their handle.
class Connection final : public SocketHandler {
 public:
  // `on_closed` runs on the IO thread when the connection is finished.
  Connection(ConnectionManager& manager, uint64_t id, int fd, const PeerInfo& peer,
             const ConnectionOptions& options, std::shared_ptr<HandlerFactory> factory,
             std::function<void()> on_closed);
  ~Connection() override;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Attaches the socket to the loop and begins. On error nothing was
  // attached: the caller destroys the object, which closes fd and runs
  // on_closed (ConnectionManager::Adopt does this).
  [[nodiscard]] Status Start();
  // Server draining: OnShutdown to an open session; a connection that has
  // not been greeted yet is closed.
  void Shutdown();
  // Closes now, dropping queued output.
  void Abort();

  uint64_t id() const { return id_; }
  size_t queued_bytes() const { return out_.bytes(); }

  // SocketHandler.
  void OnRecv(std::span<const char> data) override;
  void OnRecvClosed(Status status) override;
  void OnSendDone(Result<size_t> sent) override;

 private:
  friend class ConnectionSinkImpl;
  enum class State : uint8_t { kProxyHeader, kHandshake, kOpen, kClosing, kClosed };

  // Setup phases (connection.cc).
  void ParseProxy();
  void BeginSession();
  void Open();
  void OnHandshakeTimeout();
  void CancelHandshakeTimer();
  // Input (connection.cc).
  void Ingest(std::string_view wire);
  void Pump();
  void DeliverFrame(Frame frame);
  void UpdateRecvPause();
  unsigned PipelineDepth() const;
  // TLS (connection_tls.cc).
  Status NewTlsSession();
  void FeedTls(std::string_view wire);
  void OnHandshakeDone();
  void FailTls(const Status& status);
  // Output (connection_io.cc).
  void FlushPending();
  void QueueWire(std::string bytes);
  void QueuePlain(std::string bytes);
  void MaybeSend();
  void Close();
  void Finish();
  // Posted by the sink (IO thread).
  void DoCloseAfterFlush();
  void DoStartTls();
  void DoSetAuthenticated();
  void DoFrameDone();
  void DoRequestWritable();

  ConnectionManager& manager_;
  const uint64_t id_;
  int fd_;
  State state_ = State::kProxyHeader;
  bool authenticated_ = false;
  bool starttls_ = false;           // the handshake in progress is a STARTTLS
  bool close_after_flush_ = false;
  bool fatal_frame_ = false;        // a fatal FrameError was delivered
  bool recv_paused_ = false;
  bool send_in_flight_ = false;
  bool want_writable_ = false;
  bool timer_armed_ = false;
  bool attached_ = false;
  unsigned outstanding_frames_ = 0;  // delivered, not yet FrameDone
  TimerId handshake_timer_ = 0;
  ConnectionOptions options_;
  std::unique_ptr<PeerInfo> peer_;  // until OnOpen; freed afterwards
  std::shared_ptr<HandlerFactory> factory_;
  std::unique_ptr<Framer> framer_;
  std::shared_ptr<ConnectionHandler> handler_;
  std::shared_ptr<ConnectionSinkImpl> sink_;
  std::unique_ptr<TlsSession> tls_;
  std::string in_;  // received plaintext not yet framed
  // Bytes at the front of in_ that arrived before our latest send was
  // submitted. At STARTTLS they are the plaintext to discard; later bytes
  // may already be the client's ClientHello, sent in answer to our OK.
  size_t in_before_send_ = 0;
  OutputQueue out_;
  std::function<void()> on_closed_;
  const ConnectionMetrics& metrics_;
};

}  // namespace roost::net
