// Connection lifecycle and input: PROXY header, session start, framing.
// Output and closing live in connection_io.cc, TLS in connection_tls.cc.
#include "net/connection.h"

#include <unistd.h>

#include <algorithm>
#include <utility>

#include "base/log.h"
#include "net/connection_manager.h"
#include "net/connection_metrics.h"
#include "net/connection_sink.h"
#include "net/proxy_protocol.h"

namespace roost::net {

namespace {

// Unframed input allowed beyond max_line while framing is stopped (no
// pipelining credit, or after a fatal frame error) before receiving pauses.
constexpr size_t kInputSlack = 4096;

}  // namespace

Connection::Connection(ConnectionManager& manager, uint64_t id, int fd, const PeerInfo& peer,
                       const ConnectionOptions& options, std::shared_ptr<HandlerFactory> factory,
                       std::function<void()> on_closed)
    : manager_(manager),
      id_(id),
      fd_(fd),
      options_(options),
      peer_(std::make_unique<PeerInfo>(peer)),
      factory_(std::move(factory)),
      sink_(std::make_shared<ConnectionSinkImpl>(manager.loop(), this, id, options.limits.output_soft,
                                                 options.limits.output_hard)),
      on_closed_(std::move(on_closed)),
      metrics_(ConnectionMetricsFor(factory_->protocol())) {}

Connection::~Connection() {
  // Normally Finish() ran. If the manager is torn down with connections
  // still live (loop already stopped), still honour "OnClose exactly once".
  sink_->MarkClosed();
  if (state_ != State::kClosed) {
    if (fd_ >= 0) ::close(fd_);
    if (handler_) handler_->OnClose();
    if (attached_) metrics_.open.Add(-1);
    if (on_closed_) on_closed_();
  }
}

Status Connection::Start() {
  ROOST_RETURN_IF_ERROR(manager_.loop().Attach(fd_, this));
  attached_ = true;
  metrics_.open.Add(1);
  metrics_.total.Add(1);
  if (options_.expect_proxy_header || options_.implicit_tls) {
    timer_armed_ = true;
    handshake_timer_ = manager_.loop().RunAfter(options_.handshake_timeout, [sink = sink_] {
      // Through the sink: it no longer reaches us once closing started.
      sink->RunOnConnection([](Connection& c) { c.OnHandshakeTimeout(); });
    });
  }
  if (options_.expect_proxy_header) {
    state_ = State::kProxyHeader;
    return Status::Ok();
  }
  BeginSession();
  return Status::Ok();
}

void Connection::ParseProxy() {
  ProxyParse parse = ParseProxyHeader(in_);
  if (parse.kind == ProxyParse::Kind::kNeedMore) return;
  if (parse.kind == ProxyParse::Kind::kError) {
    ROOST_LOG_INFO("conn={} bad PROXY header: {}", id_, parse.error.ToString());
    RejectedCounter(factory_->protocol(), "bad_proxy_header").Add();
    Close();
    return;
  }
  if (parse.header.has_addresses) {
    peer_->remote = parse.header.source;
    peer_->local = parse.header.destination;
    peer_->proxied = true;
  }
  std::string rest = in_.substr(parse.header.length);
  std::string().swap(in_);
  BeginSession();
  if (!rest.empty() && state_ < State::kClosing) Ingest(rest);
}

// The peer is known: make the session, then greet or start TLS first.
void Connection::BeginSession() {
  framer_ = factory_->NewFramer();
  framer_->SetLimits(options_.limits.pre_auth);
  handler_ = factory_->NewHandler(sink_, *peer_);
  if (!options_.implicit_tls) {
    Open();
    return;
  }
  state_ = State::kHandshake;
  Status status = NewTlsSession();
  if (!status.ok()) {
    ROOST_LOG_WARN("conn={} cannot start implicit TLS: {}", id_, status.ToString());
    Close();
  }
}

void Connection::Open() {
  CancelHandshakeTimer();
  state_ = State::kOpen;
  handler_->OnOpen(*peer_);
  peer_.reset();
  Pump();
}

void Connection::OnHandshakeTimeout() {
  timer_armed_ = false;
  if (state_ != State::kProxyHeader && state_ != State::kHandshake) return;
  ROOST_LOG_INFO("conn={} handshake timeout", id_);
  RejectedCounter(factory_->protocol(), "handshake_timeout").Add();
  if (starttls_) handler_->OnTlsStarted(Status::Cancelled("TLS handshake timed out"), TlsInfo{});
  Close();
}

void Connection::CancelHandshakeTimer() {
  if (!timer_armed_) return;
  timer_armed_ = false;
  manager_.loop().CancelTimer(handshake_timer_);
}

void Connection::OnRecv(std::span<const char> data) {
  if (state_ >= State::kClosing) return;
  metrics_.bytes_received.Add(data.size());
  if (state_ == State::kProxyHeader) {
    in_.append(data.data(), data.size());
    ParseProxy();
    return;
  }
  Ingest(std::string_view(data.data(), data.size()));
}

void Connection::OnRecvClosed(Status status) {
  if (state_ >= State::kClosing) return;
  if (!status.ok()) ROOST_LOG_DEBUG("conn={} receive failed: {}", id_, status.ToString());
  Close();
}

void Connection::Ingest(std::string_view wire) {
  if (close_after_flush_) return;  // the session is done; ignore the rest
  if (tls_) {
    FeedTls(wire);
  } else {
    in_.append(wire);
  }
  if (state_ == State::kOpen) Pump();
  UpdateRecvPause();
}

unsigned Connection::PipelineDepth() const {
  unsigned depth = authenticated_ ? options_.limits.pipeline_post_auth : options_.limits.pipeline_pre_auth;
  return depth == 0 ? 1 : depth;
}

// Steps the framer over buffered input while pipelining credit remains.
void Connection::Pump() {
  size_t pos = 0;
  while (state_ == State::kOpen && !close_after_flush_ && !fatal_frame_ &&
         outstanding_frames_ < PipelineDepth()) {
    FramerStep step = framer_->Step(std::string_view(in_).substr(pos));
    pos += step.consumed;
    if (step.kind == FramerStep::Kind::kNeedMore) break;
    if (step.kind == FramerStep::Kind::kContinuation) {
      QueuePlain(std::move(step.continuation));
      continue;
    }
    DeliverFrame(std::move(step.frame));
  }
  if (pos > 0) {
    in_.erase(0, pos);
    in_before_send_ -= std::min(in_before_send_, pos);
  }
  if (in_.empty() && in_.capacity() > 0) std::string().swap(in_);
  UpdateRecvPause();
  MaybeSend();
}

void Connection::DeliverFrame(Frame frame) {
  ++outstanding_frames_;
  if (frame.error && frame.error->fatal) fatal_frame_ = true;
  handler_->OnFrame(std::move(frame));
}

// Backpressure: a client that pipelines past its credit, or keeps sending
// after a fatal error, fills the kernel socket buffer instead of our memory.
void Connection::UpdateRecvPause() {
  if (state_ >= State::kClosing) return;
  const FrameLimits& limits = authenticated_ ? options_.limits.post_auth : options_.limits.pre_auth;
  bool too_much = in_.size() > limits.max_line + kInputSlack;
  if (too_much && !recv_paused_) {
    recv_paused_ = true;
    manager_.loop().PauseRecv(fd_);
  } else if (!too_much && recv_paused_) {
    recv_paused_ = false;
    manager_.loop().ResumeRecv(fd_);
  }
}

void Connection::Shutdown() {
  if (state_ == State::kOpen) {
    handler_->OnShutdown();
  } else if (state_ < State::kOpen) {
    Close();
  }
}

void Connection::DoSetAuthenticated() {
  if (authenticated_) return;
  authenticated_ = true;
  if (framer_) framer_->SetLimits(options_.limits.post_auth);
  Pump();  // more credit now
}

void Connection::DoFrameDone() {
  if (outstanding_frames_ > 0) --outstanding_frames_;
  if (fatal_frame_ && outstanding_frames_ == 0) {
    // The session has answered the fatal frame (FrameError docs): close
    // once that answer is on the wire.
    DoCloseAfterFlush();
    return;
  }
  Pump();
}

}  // namespace roost::net
