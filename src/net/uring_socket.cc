// UringLoop's per-socket half: recv/send ops, pause/resume and detach.
// See uring_loop.h for the design.
#include <cerrno>
#include <cstring>

#include "base/log.h"
#include "net/uring_loop.h"

namespace roost::net {
namespace {
constexpr uint16_t kBufferGroup = 0;
}  // namespace

UringSocket* UringLoop::FindSocket(int fd) {
  auto it = sockets_.find(fd);
  return it == sockets_.end() ? nullptr : it->second.get();
}

Status UringLoop::Attach(int fd, SocketHandler* handler) {
  if (sockets_.contains(fd)) return Status::AlreadyExists("fd already attached");
  auto sock = std::make_unique<UringSocket>();
  sock->fd = fd;
  sock->handler = handler;
  UringSocket& ref = *sock;
  sockets_.emplace(fd, std::move(sock));
  ArmRecv(ref);
  if (ref.recv == nullptr) {
    sockets_.erase(fd);
    return Status::ResourceExhausted("io_uring submission queue full");
  }
  return Status::Ok();
}

void UringLoop::ArmRecv(UringSocket& sock) {
  if (sock.recv != nullptr || sock.paused || sock.recv_closed || sock.detached || draining_) return;
  io_uring_sqe* sqe = GetSqe();
  if (sqe == nullptr) return;
  io_uring_prep_recv_multishot(sqe, sock.fd, nullptr, 0, 0);
  sqe->flags |= IOSQE_BUFFER_SELECT;
  sqe->buf_group = kBufferGroup;
  auto op = std::make_unique<RecvOp>(&sock);
  sock.recv = op.get();
  ++sock.inflight;
  Track(sqe, std::move(op));
}

void UringLoop::ReturnBuffer(uint16_t bid) {
  io_uring_buf_ring_add(buf_ring_, buffers_.get() + bid * buf_size_, static_cast<unsigned>(buf_size_),
                        bid, io_uring_buf_ring_mask(buf_ring_entries_), 0);
  io_uring_buf_ring_advance(buf_ring_, 1);
}

void UringLoop::Deliver(UringSocket& sock, std::span<const char> data) {
  if (sock.detached || draining_) return;
  // Keep order: bytes held during a pause go out before newer ones.
  if (sock.paused || !sock.held.empty()) {
    sock.held.append(data.data(), data.size());
    return;
  }
  sock.handler->OnRecv(data);
}

void UringLoop::DeliverClose(UringSocket& sock, Status status) {
  if (sock.detached || draining_) return;
  if (sock.paused || !sock.held.empty()) {
    sock.held_close = std::move(status);
    return;
  }
  sock.handler->OnRecvClosed(std::move(status));
}

void UringLoop::DeliverHeld(UringSocket& sock) {
  if (sock.detached || sock.paused || draining_) return;
  if (!sock.held.empty()) {
    std::string data = std::move(sock.held);
    sock.held.clear();
    sock.handler->OnRecv(std::span<const char>(data.data(), data.size()));
    if (sock.detached || sock.paused) return;
  }
  if (sock.held_close) {
    Status status = std::move(*sock.held_close);
    sock.held_close.reset();
    sock.handler->OnRecvClosed(std::move(status));
  }
}

void UringLoop::OnRecv(RecvOp& op, const Completion& c) {
  UringSocket& sock = *op.socket;
  const bool has_buffer = (c.flags & IORING_CQE_F_BUFFER) != 0;
  const auto bid = static_cast<uint16_t>(c.flags >> IORING_CQE_BUFFER_SHIFT);
  if (c.res > 0 && has_buffer) {
    Deliver(sock, std::span<const char>(buffers_.get() + bid * buf_size_, static_cast<size_t>(c.res)));
  }
  if (has_buffer) ReturnBuffer(bid);  // the handler has returned: recycle now
  if (c.res == -ENOBUFS) recv_nobufs_->Add();
  if (c.res == 0 && !sock.recv_closed) {
    sock.recv_closed = true;
    DeliverClose(sock, Status::Ok());
  } else if (c.res < 0 && c.res != -ENOBUFS && c.res != -ECANCELED && !sock.recv_closed) {
    sock.recv_closed = true;
    DeliverClose(sock, Status::FromErrno(-c.res, "recv()"));
  }
  if (c.more()) return;
  // Final CQE: ENOBUFS, cancel (pause/detach), EOF, error, or the kernel
  // ending the multishot on its own. ArmRecv re-arms only if still wanted.
  sock.recv = nullptr;
  --sock.inflight;
  ArmRecv(sock);
  MaybeFinishDetach(sock);
}

void UringLoop::PauseRecv(int fd) {
  UringSocket* sock = FindSocket(fd);
  if (sock == nullptr || sock->paused) return;
  sock->paused = true;
  if (sock->recv != nullptr) CancelOp(sock->recv);
}

void UringLoop::ResumeRecv(int fd) {
  UringSocket* sock = FindSocket(fd);
  if (sock == nullptr || !sock->paused) return;
  sock->paused = false;
  if (!sock->held.empty() || sock->held_close) {
    // Never call the handler from inside ResumeRecv. `sock` outlives this
    // closure: Detach's done is deferred behind it.
    Defer([this, sock] { DeliverHeld(*sock); });
  }
  // If the cancelled recv has not completed yet, its final CQE re-arms.
  ArmRecv(*sock);
}

void UringLoop::Send(int fd, std::span<const iovec> iov) {
  UringSocket* sock = FindSocket(fd);
  if (sock == nullptr) return;
  io_uring_sqe* sqe = GetSqe();
  if (sqe == nullptr) {
    Defer([this, sock] {
      if (!sock->detached) sock->handler->OnSendDone(Status::ResourceExhausted("io_uring SQ full"));
    });
    return;
  }
  auto op = std::make_unique<SendOp>(sock, iov.data(), iov.size());
  io_uring_prep_sendmsg(sqe, fd, &op->msg, MSG_NOSIGNAL);
  sock->send = op.get();
  ++sock->inflight;
  Track(sqe, std::move(op));
}

void UringLoop::OnSend(SendOp& op, const Completion& c) {
  UringSocket& sock = *op.socket;
  sock.send = nullptr;
  --sock.inflight;
  if (!sock.detached && !draining_) {
    if (c.res >= 0) {
      sock.handler->OnSendDone(static_cast<size_t>(c.res));
    } else {
      sock.handler->OnSendDone(Status::FromErrno(-c.res, "sendmsg()"));
    }
  }
  MaybeFinishDetach(sock);
}

void UringLoop::Detach(int fd, std::function<void()> done) {
  auto it = sockets_.find(fd);
  if (it == sockets_.end()) {
    if (done) Defer(std::move(done));
    return;
  }
  UringSocket* sock = it->second.get();
  detaching_.emplace(sock, std::move(it->second));
  sockets_.erase(it);
  sock->detached = true;
  sock->done = std::move(done);
  if (sock->recv != nullptr) CancelOp(sock->recv);
  if (sock->send != nullptr) CancelOp(sock->send);
  MaybeFinishDetach(*sock);
}

void UringLoop::MaybeFinishDetach(UringSocket& sock) {
  if (!sock.detached || sock.inflight > 0 || sock.finishing) return;
  sock.finishing = true;
  UringSocket* s = &sock;
  Defer([this, s] {
    std::function<void()> done = std::move(s->done);
    detaching_.erase(s);
    if (done) done();
  });
}

}  // namespace roost::net
