// UringLoop: the io_uring IoLoop backend.
//
// Design choices:
//  - The ring is created with SINGLE_ISSUER|DEFER_TASKRUN (completion work
//    runs only when the IO thread asks for events, no IPIs), plus
//    R_DISABLED so that Create() may run on another thread: Run() enables
//    the ring, which makes the calling thread the single issuer. Kernels
//    that refuse these flags (EINVAL) get a plain ring.
//  - Receiving is one multishot recv per socket that selects buffers from a
//    single provided-buffer ring shared by all sockets. A socket holds a
//    buffer only while its OnRecv runs; the buffer goes back to the ring
//    right after. ENOBUFS (ring empty) or any final CQE simply re-arms the
//    recv unless the socket is paused, closed or detached.
//  - PauseRecv cancels the multishot recv. Bytes the kernel had already
//    placed in a completion before the cancel took effect are copied aside
//    and delivered after ResumeRecv, before any newer bytes.
//  - Sends are one IORING_OP_SENDMSG per Send() (SendOp owns the iovec copy
//    and the msghdr). SQEs are only submitted when the loop is about to
//    wait, so everything a loop iteration produced goes out in one
//    io_uring_enter (redis's write-before-sleep batching).
//  - Timers live in the shared TimerQueue; the loop waits with
//    io_uring_submit_and_wait_timeout up to the next deadline, so no
//    timeout SQEs exist. Cross-thread Post() wakes the loop through an
//    eventfd watched by a multishot poll (a read SQE on a nonblocking
//    eventfd would complete at once with EAGAIN).
//  - Detach cancels the socket's ops and runs `done` (deferred) once the
//    last op referencing the socket has completed; no handler method is
//    called after Detach.
//  - When Run() ends, every live op is cancelled and reaped before
//    returning, so the kernel never writes into freed memory.
//
// Thread affinity: as IoLoop. Run() may be called once per loop.
#pragma once

#include <liburing.h>

#include <memory>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "base/metrics.h"
#include "base/result.h"
#include "net/loop_base.h"
#include "net/uring_ops.h"

namespace roost::net {

struct UringSocket {
  int fd = -1;
  SocketHandler* handler = nullptr;
  RecvOp* recv = nullptr;  // live multishot recv, if any
  SendOp* send = nullptr;  // live send, if any
  int inflight = 0;        // live ops pointing at this struct
  bool paused = false;
  bool recv_closed = false;  // the kernel reported EOF or an error
  bool detached = false;
  bool finishing = false;    // Detach's done has been queued
  std::string held;          // bytes received while paused
  std::optional<Status> held_close;  // close seen while paused
  std::function<void()> done;
};

struct UringListener {
  int fd = -1;
  AcceptFn on_accept;
  AcceptOp* accept = nullptr;
  bool removed = false;
  std::function<void()> done;
};

class UringLoop final : public LoopBase {
 public:
  // Fails (with the kernel's reason) when io_uring or provided-buffer rings
  // are unavailable; IoLoop::Create then falls back to epoll.
  static Result<std::unique_ptr<UringLoop>> Create(const IoLoop::Options& options);
  ~UringLoop() override;

  IoBackend backend() const override { return IoBackend::kUring; }
  Status AddListener(int listen_fd, AcceptFn on_accept) override;
  void RemoveListener(int listen_fd, std::function<void()> done) override;
  Status Attach(int fd, SocketHandler* handler) override;
  void PauseRecv(int fd) override;
  void ResumeRecv(int fd) override;
  void Send(int fd, std::span<const iovec> iov) override;
  void Detach(int fd, std::function<void()> done) override;
  size_t attached_sockets() const override { return sockets_.size(); }

  // Completion handlers, called by the Op types (uring_ops.h).
  void OnAccept(AcceptOp& op, const Completion& c);
  void OnRecv(RecvOp& op, const Completion& c);
  void OnSend(SendOp& op, const Completion& c);
  void OnWake(const Completion& c);

 private:
  UringLoop() = default;
  Status InitRing(const IoLoop::Options& options);
  Status InitBufferRing(const IoLoop::Options& options);
  void Poll(std::optional<std::chrono::nanoseconds> timeout) override;
  void OnRunStart() override;
  void OnRunEnd() override;
  void Reap();

  io_uring_sqe* GetSqe();
  // Takes ownership of `op` and ties it to `sqe`.
  void Track(io_uring_sqe* sqe, std::unique_ptr<Op> op);
  void CancelOp(Op* target);
  void ArmAccept(UringListener& listener);
  void ArmRecv(UringSocket& sock);
  void ArmWake();
  void ReturnBuffer(uint16_t bid);
  // Hands bytes to the handler, or keeps them while paused.
  void Deliver(UringSocket& sock, std::span<const char> data);
  void DeliverClose(UringSocket& sock, Status status);
  void DeliverHeld(UringSocket& sock);
  void MaybeFinishDetach(UringSocket& sock);
  UringSocket* FindSocket(int fd);

  io_uring ring_{};
  bool ring_ok_ = false;
  bool ring_disabled_ = false;
  bool draining_ = false;  // Run() is ending: no more user callbacks

  io_uring_buf_ring* buf_ring_ = nullptr;
  size_t buf_ring_bytes_ = 0;
  unsigned buf_ring_entries_ = 0;
  size_t buf_size_ = 0;
  std::unique_ptr<char[]> buffers_;
  // Multishot recvs ended by an empty buffer ring: a sign recv_buffers is
  // too small for the load (each costs a re-arm).
  Counter* recv_nobufs_ = nullptr;

  std::unordered_set<Op*> live_ops_;
  std::unordered_map<int, std::unique_ptr<UringSocket>> sockets_;
  std::unordered_map<UringSocket*, std::unique_ptr<UringSocket>> detaching_;
  std::unordered_map<int, std::unique_ptr<UringListener>> listeners_;
  std::unordered_map<UringListener*, std::unique_ptr<UringListener>> removing_;
};

}  // namespace roost::net
