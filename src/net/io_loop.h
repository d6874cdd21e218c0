// IoLoop: the completion-based I/O seam. One loop per IO thread.
//
// Two backends implement it: io_uring (multishot accept, multishot recv
// into a provided-buffer ring so an idle connection holds no receive
// buffer, sendmsg for batched iovecs) and epoll (readiness turned into the
// same completions). Create() probes io_uring by really building a ring and
// falls back to epoll; Options::backend forces one. The interface is kept
// small on purpose (redis's ae backends have seven functions): sockets,
// timers and cross-thread wake-up, nothing protocol-specific.
//
// Every kernel operation is an Op object owned by the backend; it owns the
// memory the kernel can touch (iovec arrays, sockaddrs) and completes
// exactly once, including on cancellation. Payload bytes passed to Send()
// belong to the caller, who must keep them unchanged until OnSendDone (the
// Connection's OutputQueue does this, and Detach() waits for the send).
//
// Completions are never delivered inline: OnSendDone and Detach's `done`
// never run inside the Send()/Detach() call that caused them (nor OnRecv
// inside ResumeRecv()); both backends queue them and run them later in the
// same loop iteration, so callers need not guard against re-entrancy there.
//
// Thread affinity: Post(), Stop() and InLoopThread() are thread-safe;
// everything else is IO thread only, i.e. the thread inside Run(). Handler
// callbacks run on the IO thread and must not block.
#pragma once

#include <sys/socket.h>
#include <sys/uio.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "base/result.h"
#include "base/status.h"

namespace roost::net {

enum class IoBackend { kAuto, kUring, kEpoll };
std::string_view IoBackendName(IoBackend backend);
// "auto", "uring" or "epoll".
Result<IoBackend> ParseIoBackend(std::string_view name);

// A socket address with a printable form ("127.0.0.1:143", "[::1]:993").
struct SocketAddress {
  sockaddr_storage storage{};
  socklen_t len = 0;
  std::string ToString() const;
  // Address without port, as a string: "127.0.0.1", "::1".
  std::string Host() const;
  uint16_t Port() const;
};

// What the owner of a connected socket is told, on the IO thread.
class SocketHandler {
 public:
  virtual ~SocketHandler() = default;
  // Bytes arrived. `data` is valid only during the call: it may live in a
  // kernel-provided buffer that is recycled right after.
  virtual void OnRecv(std::span<const char> data) = 0;
  // The peer closed (OK status) or receiving failed. No OnRecv follows.
  virtual void OnRecvClosed(Status status) = 0;
  // The Send() in flight completed: `sent` bytes (possibly fewer than
  // submitted: a short write) were written, or it failed.
  virtual void OnSendDone(Result<size_t> sent) = 0;
};

using AcceptFn = std::function<void(int fd, const SocketAddress& peer)>;
using TimerId = uint64_t;

class IoLoop {
 public:
  struct Options {
    IoBackend backend = IoBackend::kAuto;
    unsigned ring_entries = 4096;     // io_uring SQ size
    unsigned recv_buffers = 1024;     // provided buffers shared by all sockets
    size_t recv_buffer_size = 16384;  // bytes per provided buffer
  };

  // Builds a loop, probing io_uring first when backend is kAuto.
  static Result<std::unique_ptr<IoLoop>> Create(const Options& options);

  virtual ~IoLoop() = default;
  virtual IoBackend backend() const = 0;

  // Runs the loop on the calling thread until Stop(). That thread is this
  // loop's IO thread from then on. Call it once per loop (the io_uring
  // ring's single issuer is fixed by the first Run()).
  virtual void Run() = 0;
  // Makes Run() return after the current iteration. Thread-safe.
  virtual void Stop() = 0;
  // Queues `fn` to run on the IO thread. Thread-safe; wakes the loop.
  // Functions posted before Stop() returns from Run() are run.
  virtual void Post(std::function<void()> fn) = 0;
  // True on this loop's IO thread. Thread-safe.
  virtual bool InLoopThread() const = 0;

  // Accepts connections on a listening socket until RemoveListener. The
  // accepted fd is nonblocking and close-on-exec, owned by `on_accept`.
  virtual Status AddListener(int listen_fd, AcceptFn on_accept) = 0;
  // Stops accepting; the caller may close listen_fd when `done` runs.
  virtual void RemoveListener(int listen_fd, std::function<void()> done) = 0;

  // Starts receiving on a connected socket. `handler` must stay valid
  // until Detach's `done` runs.
  virtual Status Attach(int fd, SocketHandler* handler) = 0;
  // Stops/restarts delivering OnRecv (input backpressure). Bytes stay in
  // the kernel's socket buffer meanwhile.
  virtual void PauseRecv(int fd) = 0;
  virtual void ResumeRecv(int fd) = 0;
  // Writes the iovecs. REQUIRES: no other Send in flight on fd; the bytes
  // stay valid and unchanged until OnSendDone.
  virtual void Send(int fd, std::span<const iovec> iov) = 0;
  // Cancels all operations on fd. `done` runs later on the IO thread (never
  // inline), once no kernel operation refers to fd or its handler; then the
  // caller closes fd and frees the handler.
  virtual void Detach(int fd, std::function<void()> done) = 0;

  // One-shot timer on the IO thread.
  virtual TimerId RunAfter(std::chrono::milliseconds delay, std::function<void()> fn) = 0;
  virtual void CancelTimer(TimerId id) = 0;

  // Diagnostics for tests and metrics.
  virtual size_t attached_sockets() const = 0;
};

}  // namespace roost::net

#ifndef NDEBUG
#include <cassert>
#define ROOST_DCHECK_ON_IO_THREAD(loop) assert((loop).InLoopThread())
#else
#define ROOST_DCHECK_ON_IO_THREAD(loop) ((void)0)
#endif
