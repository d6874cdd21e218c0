#include "net/uring_loop.h"

#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <poll.h>

#include "base/log.h"

namespace roost::net {
namespace {

constexpr uint16_t kBufferGroup = 0;
constexpr unsigned kMaxBufRingEntries = 32768;  // kernel limit
constexpr std::chrono::milliseconds kAcceptBackoff{100};
constexpr std::chrono::seconds kDrainLimit{2};

Status RingError(int neg_errno, std::string_view what) { return Status::FromErrno(-neg_errno, what); }

}  // namespace

void AcceptOp::Complete(UringLoop& loop, const Completion& c) { loop.OnAccept(*this, c); }
void RecvOp::Complete(UringLoop& loop, const Completion& c) { loop.OnRecv(*this, c); }
void SendOp::Complete(UringLoop& loop, const Completion& c) { loop.OnSend(*this, c); }
void WakePollOp::Complete(UringLoop& loop, const Completion& c) { loop.OnWake(c); }

Result<std::unique_ptr<UringLoop>> UringLoop::Create(const IoLoop::Options& options) {
  std::unique_ptr<UringLoop> loop(new UringLoop());
  ROOST_RETURN_IF_ERROR(loop->InitRing(options));
  ROOST_RETURN_IF_ERROR(loop->InitBufferRing(options));
  ROOST_RETURN_IF_ERROR(loop->InitWakeFd());
  loop->recv_nobufs_ = &MetricsRegistry::Global().GetCounter(
      "roost_io_uring_recv_nobufs_total", "Multishot recvs that ran out of provided buffers");
  loop->ArmWake();
  return loop;
}

Status UringLoop::InitRing(const IoLoop::Options& options) {
  io_uring_params params{};
  params.flags = IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN | IORING_SETUP_R_DISABLED;
  int rc = io_uring_queue_init_params(options.ring_entries, &ring_, &params);
  if (rc == -EINVAL) {  // pre-6.1 kernel: no SINGLE_ISSUER/DEFER_TASKRUN
    params = io_uring_params{};
    rc = io_uring_queue_init_params(options.ring_entries, &ring_, &params);
  }
  if (rc < 0) return RingError(rc, "io_uring_queue_init");
  ring_ok_ = true;
  ring_disabled_ = (params.flags & IORING_SETUP_R_DISABLED) != 0;
  if (!(params.features & IORING_FEAT_EXT_ARG)) {
    return Status::NotSupported("io_uring lacks IORING_FEAT_EXT_ARG (kernel < 5.11)");
  }
  return Status::Ok();
}

Status UringLoop::InitBufferRing(const IoLoop::Options& options) {
  if (options.recv_buffers == 0 || options.recv_buffers > kMaxBufRingEntries ||
      options.recv_buffer_size == 0) {
    return Status::InvalidArgument("recv_buffers must be in [1, 32768], recv_buffer_size > 0");
  }
  buf_ring_entries_ = 1;
  while (buf_ring_entries_ < options.recv_buffers) buf_ring_entries_ <<= 1;
  buf_ring_bytes_ = buf_ring_entries_ * sizeof(io_uring_buf);
  void* mem = ::mmap(nullptr, buf_ring_bytes_, PROT_READ | PROT_WRITE,
                     MAP_ANONYMOUS | MAP_PRIVATE, -1, 0);
  if (mem == MAP_FAILED) return Status::FromErrno(errno, "mmap(buffer ring)");
  buf_ring_ = static_cast<io_uring_buf_ring*>(mem);
  io_uring_buf_reg reg{};
  reg.ring_addr = reinterpret_cast<uint64_t>(mem);
  reg.ring_entries = buf_ring_entries_;
  reg.bgid = kBufferGroup;
  int rc = io_uring_register_buf_ring(&ring_, &reg, 0);
  if (rc < 0) return RingError(rc, "io_uring_register_buf_ring");
  io_uring_buf_ring_init(buf_ring_);
  buf_size_ = options.recv_buffer_size;
  buffers_ = std::make_unique<char[]>(buf_size_ * options.recv_buffers);
  const int mask = io_uring_buf_ring_mask(buf_ring_entries_);
  for (unsigned i = 0; i < options.recv_buffers; ++i) {
    io_uring_buf_ring_add(buf_ring_, buffers_.get() + i * buf_size_,
                          static_cast<unsigned>(buf_size_), static_cast<uint16_t>(i), mask,
                          static_cast<int>(i));
  }
  io_uring_buf_ring_advance(buf_ring_, static_cast<int>(options.recv_buffers));
  return Status::Ok();
}

UringLoop::~UringLoop() {
  if (ring_ok_) io_uring_queue_exit(&ring_);
  // Ops left here were never submitted (Run() never ran) or outlived the
  // drain; the ring is gone, so the kernel no longer refers to them.
  for (Op* op : live_ops_) delete op;
  if (buf_ring_ != nullptr) ::munmap(buf_ring_, buf_ring_bytes_);
}

io_uring_sqe* UringLoop::GetSqe() {
  io_uring_sqe* sqe = io_uring_get_sqe(&ring_);
  if (sqe == nullptr && InLoopThread()) {
    // The SQ is full: flush it now rather than fail the caller.
    io_uring_submit(&ring_);
    sqe = io_uring_get_sqe(&ring_);
  }
  if (sqe == nullptr) ROOST_LOG_ERROR("io_uring submission queue full");
  return sqe;
}

void UringLoop::Track(io_uring_sqe* sqe, std::unique_ptr<Op> op) {
  io_uring_sqe_set_data(sqe, op.get());
  live_ops_.insert(op.release());
}

void UringLoop::CancelOp(Op* target) {
  io_uring_sqe* sqe = GetSqe();
  if (sqe == nullptr) return;
  io_uring_prep_cancel64(sqe, reinterpret_cast<uint64_t>(target), 0);
  Track(sqe, std::make_unique<roost::net::CancelOp>());
}

void UringLoop::ArmWake() {
  io_uring_sqe* sqe = GetSqe();
  if (sqe == nullptr) return;
  io_uring_prep_poll_multishot(sqe, wake_fd(), POLLIN);
  Track(sqe, std::make_unique<WakePollOp>());
}

void UringLoop::OnWake(const Completion& c) {
  uint64_t value;
  (void)!::read(wake_fd(), &value, sizeof(value));
  if (!c.more() && !draining_) ArmWake();
}

void UringLoop::OnRunStart() {
  if (ring_disabled_) {
    // Debian's liburing 2.3 declares io_uring_enable_rings() but does not
    // export it, so issue the register call directly.
    long rc = ::syscall(__NR_io_uring_register, ring_.ring_fd, IORING_REGISTER_ENABLE_RINGS, nullptr, 0);
    if (rc < 0) ROOST_LOG_ERROR("io_uring_register(ENABLE_RINGS) failed: {}", strerror(errno));
    ring_disabled_ = false;
  }
}

void UringLoop::Poll(std::optional<std::chrono::nanoseconds> timeout) {
  __kernel_timespec ts{};
  if (timeout) {
    ts.tv_sec = timeout->count() / 1'000'000'000;
    ts.tv_nsec = timeout->count() % 1'000'000'000;
  }
  io_uring_cqe* cqe = nullptr;
  int rc = io_uring_submit_and_wait_timeout(&ring_, &cqe, 1, timeout ? &ts : nullptr, nullptr);
  if (rc < 0 && rc != -ETIME && rc != -EINTR && rc != -EBUSY) {
    ROOST_LOG_ERROR("io_uring_submit_and_wait_timeout failed: {}", strerror(-rc));
  }
  Reap();
}

void UringLoop::Reap() {
  constexpr unsigned kBatch = 128;
  io_uring_cqe* cqes[kBatch];
  struct Item {
    Op* op;
    Completion c;
  };
  Item items[kBatch];
  for (;;) {
    unsigned n = io_uring_peek_batch_cqe(&ring_, cqes, kBatch);
    if (n == 0) return;
    for (unsigned i = 0; i < n; ++i) {
      items[i] = {reinterpret_cast<Op*>(io_uring_cqe_get_data(cqes[i])),
                  {cqes[i]->res, cqes[i]->flags}};
    }
    io_uring_cq_advance(&ring_, n);  // release CQ slots before callbacks
    for (unsigned i = 0; i < n; ++i) {
      Op* op = items[i].op;
      op->Complete(*this, items[i].c);
      if (!items[i].c.more()) {
        live_ops_.erase(op);
        delete op;
      }
    }
  }
}

void UringLoop::OnRunEnd() {
  // Cancel everything still in the kernel and wait for each op's final
  // CQE, so no op memory or buffer is referenced once Run() returns.
  draining_ = true;
  if (io_uring_sqe* sqe = GetSqe()) {
    io_uring_prep_cancel64(sqe, 0, IORING_ASYNC_CANCEL_ANY);
    Track(sqe, std::make_unique<roost::net::CancelOp>());
  }
  const auto limit = std::chrono::steady_clock::now() + kDrainLimit;
  while (!live_ops_.empty() && std::chrono::steady_clock::now() < limit) {
    Poll(std::chrono::milliseconds(50));
  }
  if (!live_ops_.empty()) ROOST_LOG_WARN("io_uring: {} ops still live at shutdown", live_ops_.size());
}

// ---- listeners ----

Status UringLoop::AddListener(int listen_fd, AcceptFn on_accept) {
  if (listeners_.contains(listen_fd)) return Status::AlreadyExists("listener already added");
  auto listener = std::make_unique<UringListener>();
  listener->fd = listen_fd;
  listener->on_accept = std::move(on_accept);
  UringListener& ref = *listener;
  listeners_.emplace(listen_fd, std::move(listener));
  ArmAccept(ref);
  if (ref.accept == nullptr) {
    listeners_.erase(listen_fd);
    return Status::ResourceExhausted("io_uring submission queue full");
  }
  return Status::Ok();
}

void UringLoop::ArmAccept(UringListener& listener) {
  io_uring_sqe* sqe = GetSqe();
  if (sqe == nullptr) return;
  // The peer address comes from getpeername(): a multishot accept has no
  // per-completion sockaddr buffer.
  io_uring_prep_multishot_accept(sqe, listener.fd, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
  auto op = std::make_unique<AcceptOp>(&listener);
  listener.accept = op.get();
  Track(sqe, std::move(op));
}

void UringLoop::OnAccept(AcceptOp& op, const Completion& c) {
  UringListener& l = *op.listener;
  if (c.res >= 0) {
    if (l.removed || draining_) {
      ::close(c.res);
    } else {
      SocketAddress peer;
      peer.len = sizeof(peer.storage);
      if (::getpeername(c.res, reinterpret_cast<sockaddr*>(&peer.storage), &peer.len) < 0) {
        peer.len = 0;
      }
      l.on_accept(c.res, peer);  // may call RemoveListener(l.fd)
    }
  } else if (c.res != -ECANCELED) {
    ROOST_LOG_WARN("accept(fd {}) failed: {}", l.fd, strerror(-c.res));
  }
  if (c.more()) return;
  l.accept = nullptr;
  if (l.removed) {
    auto done = std::move(l.done);
    removing_.erase(&l);
    if (done) Defer(std::move(done));
    return;
  }
  if (draining_) return;
  if (c.res < 0 && c.res != -ECANCELED) {
    // EMFILE and friends: retry later instead of spinning on the error.
    const int fd = l.fd;
    RunAfter(kAcceptBackoff, [this, fd, lp = &l] {
      auto it = listeners_.find(fd);
      if (it != listeners_.end() && it->second.get() == lp && lp->accept == nullptr) ArmAccept(*lp);
    });
    return;
  }
  ArmAccept(l);
}

void UringLoop::RemoveListener(int listen_fd, std::function<void()> done) {
  auto it = listeners_.find(listen_fd);
  if (it == listeners_.end()) {
    if (done) Defer(std::move(done));
    return;
  }
  UringListener* l = it->second.get();
  l->removed = true;
  removing_.emplace(l, std::move(it->second));
  listeners_.erase(it);
  if (l->accept != nullptr) {
    l->done = std::move(done);
    CancelOp(l->accept);
    return;
  }
  removing_.erase(l);  // waiting for a backoff timer: no op in flight
  if (done) Defer(std::move(done));
}

}  // namespace roost::net
