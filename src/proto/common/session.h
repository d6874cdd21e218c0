// Session: the base of every protocol session (IMAP, POP3, SMAP), the
// ConnectionHandler that net/ drives.
//
// The connection calls the On*() methods on its IO thread. Each one only
// enters the session's Gate and posts a task to the session's Strand, where
// the matching protocol hook runs (Greet, HandleFrame, Writable, TlsStarted,
// Shutdown, Closed). So all protocol state is touched by one task at a time,
// on a worker thread, without locks; replies go back through the
// thread-safe ConnectionHandle.
//
// Lifetime: sessions are made with Session::Create<T>(), which gives the
// session a shared_ptr to itself. That reference is dropped only after
// OnClose() has run its Closed() hook and the gate has drained, and the
// drop itself is a strand task, so a Session is never destroyed while one
// of its tasks runs (STYLE.md convention 6). Tasks posted after OnClose()
// are refused by the closed gate.
//
// Failure: an exception escaping a hook is a bug. It is caught at the task
// boundary, logged with a correlation id, answered with the protocol's
// InternalErrorReply() (best effort) and the connection is closed; later
// tasks of the session are skipped (Closed() still runs).
//
// Metrics: gauge roost_sessions{protocol} counts live Session objects
// (+1 in the constructor, -1 in the destructor: tests use it to prove no
// session leaks); subclasses count commands with CommandCounter() and
// command_duration().
//
// Thread affinity: On*() IO thread only; the protected hooks and helpers
// strand only; id() and protocol() thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "base/metrics.h"
#include "base/status.h"
#include "exec/executor.h"
#include "exec/gate.h"
#include "exec/strand.h"
#include "net/protocol.h"

namespace roost::proto {

class Session : public net::ConnectionHandler, public std::enable_shared_from_this<Session> {
 public:
  // Makes a T (a Session subclass) that keeps itself alive until closed.
  template <typename T, typename... Args>
  static std::shared_ptr<T> Create(Args&&... args) {
    auto session = std::make_shared<T>(std::forward<Args>(args)...);
    session->self_ = session;
    return session;
  }

  ~Session() override;
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  // net::ConnectionHandler, IO thread: each posts one strand task.
  void OnOpen(const net::PeerInfo& peer) final;
  void OnFrame(net::Frame frame) final;
  void OnWritable() final;
  void OnTlsStarted(const Status& status, const net::TlsInfo& info) final;
  void OnShutdown() final;
  void OnClose() final;

  // Process-unique; also the strand's log tag ("sid=N").
  uint64_t id() const { return id_; }
  std::string_view protocol() const { return protocol_; }

  // roost_commands_total{protocol,command}. Looking a counter up takes the
  // registry lock: callers on a hot path cache the reference (the counters
  // are process-wide, so a static cache is fine). Thread-safe.
  static Counter& CommandCounter(std::string_view protocol, std::string_view command);
  // Registers the per-protocol session series so /metrics shows them (at
  // zero) before the first connection. Handler factories call it once.
  static void RegisterMetrics(std::string_view protocol);

 protected:
  // `protocol` labels metrics and logs ("imap").
  Session(exec::Executor& executor, net::ConnectionHandle handle, std::string protocol);

  // Strand-side hooks.
  virtual void Greet(const net::PeerInfo& peer) = 0;
  virtual void HandleFrame(net::Frame frame) = 0;
  virtual void Writable() {}
  virtual void TlsStarted(const Status& status, const net::TlsInfo& info) {}
  // The server is draining: say goodbye once the current command is done.
  virtual void Shutdown() = 0;
  // The connection is gone; release per-session resources.
  virtual void Closed() {}
  // What to send after an internal error, e.g. "* BYE Internal error\r\n".
  virtual std::string InternalErrorReply(std::string_view correlation_id) const = 0;

  const net::ConnectionHandle& handle() const { return handle_; }
  exec::Strand& strand() const { return *strand_; }
  // Strand only: true once the OnClose() task has run.
  bool closed() const { return closed_; }

  // roost_command_duration_seconds{protocol}.
  Histogram& command_duration() const { return command_duration_; }

 private:
  // IO thread: enter the gate and post `fn` (run guarded) to the strand.
  void Post(std::function<void()> fn);
  void RunGuarded(const std::function<void()>& fn);
  void Fail(std::string_view what);

  const uint64_t id_;
  const std::string protocol_;
  net::ConnectionHandle handle_;
  std::shared_ptr<exec::Strand> strand_;
  exec::Gate gate_;
  Gauge& sessions_gauge_;
  Histogram& command_duration_;
  // Set by Create(); dropped by a strand task once the gate has drained.
  std::shared_ptr<Session> self_;
  bool failed_ = false;  // strand only
  bool closed_ = false;  // strand only
};

}  // namespace roost::proto
