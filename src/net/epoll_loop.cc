#include "net/epoll_loop.h"

#include <fcntl.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstring>

#include "base/log.h"

namespace roost::net {
namespace {

constexpr size_t kScratchSize = 64 * 1024;
constexpr int kMaxEvents = 256;
constexpr int kMaxAcceptsPerWake = 64;  // fairness with established sockets
constexpr std::chrono::milliseconds kAcceptBackoff{100};

size_t IovBytes(std::span<const iovec> iov) {
  size_t total = 0;
  for (const iovec& v : iov) total += v.iov_len;
  return total;
}

}  // namespace

Result<std::unique_ptr<EpollLoop>> EpollLoop::Create(const IoLoop::Options& options) {
  std::unique_ptr<EpollLoop> loop(new EpollLoop());
  loop->epoll_fd_ = ::epoll_create1(EPOLL_CLOEXEC);
  if (loop->epoll_fd_ < 0) return Status::FromErrno(errno, "epoll_create1()");
  ROOST_RETURN_IF_ERROR(loop->InitWakeFd());
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.u64 = static_cast<uint64_t>(loop->wake_fd());
  if (::epoll_ctl(loop->epoll_fd_, EPOLL_CTL_ADD, loop->wake_fd(), &ev) < 0) {
    return Status::FromErrno(errno, "epoll_ctl(ADD eventfd)");
  }
  loop->scratch_.resize(kScratchSize);
  return loop;
}

EpollLoop::~EpollLoop() {
  if (epoll_fd_ >= 0) ::close(epoll_fd_);
}

EpollLoop::Socket* EpollLoop::FindSocket(int fd) {
  auto it = sockets_.find(fd);
  return it == sockets_.end() ? nullptr : it->second.get();
}

Status EpollLoop::AddListener(int listen_fd, AcceptFn on_accept) {
  if (listeners_.contains(listen_fd)) return Status::AlreadyExists("listener already added");
  // HandleListener accepts until EAGAIN, so a blocking listener would stall
  // the loop; make sure it is not.
  int flags = ::fcntl(listen_fd, F_GETFL);
  if (flags < 0 || ::fcntl(listen_fd, F_SETFL, flags | O_NONBLOCK) < 0) {
    return Status::FromErrno(errno, "fcntl(listener, O_NONBLOCK)");
  }
  auto listener = std::make_unique<Listener>();
  listener->fd = listen_fd;
  listener->on_accept = std::move(on_accept);
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.u64 = static_cast<uint64_t>(listen_fd);
  if (::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, listen_fd, &ev) < 0) {
    return Status::FromErrno(errno, "epoll_ctl(ADD listener)");
  }
  listener->registered = true;
  listeners_.emplace(listen_fd, std::move(listener));
  return Status::Ok();
}

void EpollLoop::SetListenerArmed(Listener& listener, bool armed) {
  if (armed == listener.registered) return;
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.u64 = static_cast<uint64_t>(listener.fd);
  if (::epoll_ctl(epoll_fd_, armed ? EPOLL_CTL_ADD : EPOLL_CTL_DEL, listener.fd, &ev) < 0) {
    ROOST_LOG_ERROR("epoll_ctl(listener {}) failed: {}", listener.fd, strerror(errno));
    return;
  }
  listener.registered = armed;
}

void EpollLoop::RemoveListener(int listen_fd, std::function<void()> done) {
  auto it = listeners_.find(listen_fd);
  if (it != listeners_.end()) {
    SetListenerArmed(*it->second, false);
    listeners_.erase(it);
  }
  if (done) Defer(std::move(done));
}

void EpollLoop::HandleListener(Listener& listener) {
  const int listen_fd = listener.fd;
  for (int i = 0; i < kMaxAcceptsPerWake; ++i) {
    SocketAddress peer;
    peer.len = sizeof(peer.storage);
    int fd = ::accept4(listen_fd, reinterpret_cast<sockaddr*>(&peer.storage), &peer.len,
                       SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno == EINTR || errno == ECONNABORTED) continue;
      if (errno == EAGAIN) return;
      // EMFILE/ENFILE/ENOMEM: a level-triggered listener would spin, so
      // stop watching it for a moment.
      ROOST_LOG_WARN("accept4(fd {}) failed: {}", listen_fd, strerror(errno));
      SetListenerArmed(listener, false);
      RunAfter(kAcceptBackoff, [this, listen_fd] {
        auto it = listeners_.find(listen_fd);
        if (it != listeners_.end()) SetListenerArmed(*it->second, true);
      });
      return;
    }
    listener.on_accept(fd, peer);
    // on_accept may have removed this listener (and freed `listener`).
    if (!listeners_.contains(listen_fd)) return;
  }
}

Status EpollLoop::Attach(int fd, SocketHandler* handler) {
  if (sockets_.contains(fd)) return Status::AlreadyExists("fd already attached");
  auto sock = std::make_unique<Socket>();
  sock->fd = fd;
  sock->handler = handler;
  Socket& ref = *sock;
  sockets_.emplace(fd, std::move(sock));
  UpdateInterest(ref);
  if (!ref.registered) {
    sockets_.erase(fd);
    return Status::FromErrno(errno, "epoll_ctl(ADD socket)");
  }
  return Status::Ok();
}

void EpollLoop::UpdateInterest(Socket& sock) {
  uint32_t want = 0;
  if (!sock.paused && !sock.recv_closed) want |= EPOLLIN;
  if (!sock.pending_send.empty()) want |= EPOLLOUT;
  if (sock.detached) want = 0;
  epoll_event ev{};
  ev.events = want;
  ev.data.u64 = static_cast<uint64_t>(sock.fd);
  int rc = 0;
  if (want == 0) {
    if (sock.registered) rc = ::epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, sock.fd, &ev);
    sock.registered = false;
  } else if (!sock.registered) {
    rc = ::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, sock.fd, &ev);
    sock.registered = rc == 0;
  } else if (want != sock.events) {
    rc = ::epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, sock.fd, &ev);
  }
  if (rc < 0) {
    const int err = errno;
    ROOST_LOG_ERROR("epoll_ctl(fd {}) failed: {}", sock.fd, strerror(err));
    errno = err;  // Attach reports it
    return;
  }
  sock.events = want;
}

void EpollLoop::PauseRecv(int fd) {
  Socket* sock = FindSocket(fd);
  if (sock == nullptr || sock->paused) return;
  sock->paused = true;
  UpdateInterest(*sock);
}

void EpollLoop::ResumeRecv(int fd) {
  Socket* sock = FindSocket(fd);
  if (sock == nullptr || !sock->paused) return;
  sock->paused = false;
  UpdateInterest(*sock);
}

void EpollLoop::DeferSendDone(Socket& sock, Result<size_t> result) {
  Socket* s = &sock;  // alive until Detach's deferred done, queued after us
  Defer([s, r = std::move(result)]() mutable {
    if (!s->detached) s->handler->OnSendDone(std::move(r));
  });
}

bool EpollLoop::TrySend(Socket& sock, std::span<const iovec> iov) {
  msghdr msg{};
  msg.msg_iov = const_cast<iovec*>(iov.data());
  msg.msg_iovlen = std::min<size_t>(iov.size(), IOV_MAX);
  ssize_t n;
  do {
    n = ::sendmsg(sock.fd, &msg, MSG_NOSIGNAL);
  } while (n < 0 && errno == EINTR);
  if (n < 0 && errno == EAGAIN && IovBytes(iov) > 0) return false;
  if (n < 0) {
    DeferSendDone(sock, Status::FromErrno(errno, "sendmsg()"));
  } else {
    DeferSendDone(sock, static_cast<size_t>(n));
  }
  return true;
}

void EpollLoop::Send(int fd, std::span<const iovec> iov) {
  Socket* sock = FindSocket(fd);
  if (sock == nullptr) return;
  if (TrySend(*sock, iov)) return;
  sock->pending_send.assign(iov.begin(), iov.end());
  UpdateInterest(*sock);
}

void EpollLoop::HandleWritable(Socket& sock) {
  if (sock.pending_send.empty()) return;
  if (!TrySend(sock, sock.pending_send)) return;
  sock.pending_send.clear();
  UpdateInterest(sock);
}

void EpollLoop::HandleReadable(Socket& sock) {
  ssize_t n;
  do {
    n = ::read(sock.fd, scratch_.data(), scratch_.size());
  } while (n < 0 && errno == EINTR);
  if (n > 0) {
    sock.handler->OnRecv(std::span<const char>(scratch_.data(), static_cast<size_t>(n)));
    return;
  }
  if (n < 0 && errno == EAGAIN) return;
  sock.recv_closed = true;
  UpdateInterest(sock);
  sock.handler->OnRecvClosed(n == 0 ? Status::Ok() : Status::FromErrno(errno, "read()"));
}

void EpollLoop::HandleSocket(Socket& sock, uint32_t events) {
  // `events` was sampled before this batch's earlier callbacks ran, which
  // may have paused this socket or finished its send: act only on what we
  // still want. Errors and hang-ups surface through read()/sendmsg().
  const uint32_t err = events & (EPOLLERR | EPOLLHUP);
  if ((events & EPOLLIN || err) && (sock.events & EPOLLIN)) HandleReadable(sock);
  if (sock.detached) return;  // the handler detached inside OnRecv*
  if ((events & EPOLLOUT || err) && (sock.events & EPOLLOUT)) HandleWritable(sock);
}

void EpollLoop::Poll(std::optional<std::chrono::nanoseconds> timeout) {
  int timeout_ms = -1;
  if (timeout) {
    // Round up so we never wake just before a deadline and spin.
    timeout_ms = static_cast<int>((timeout->count() + 999'999) / 1'000'000);
  }
  epoll_event events[kMaxEvents];
  int n = ::epoll_wait(epoll_fd_, events, kMaxEvents, timeout_ms);
  if (n < 0) {
    if (errno != EINTR) ROOST_LOG_ERROR("epoll_wait() failed: {}", strerror(errno));
    return;
  }
  for (int i = 0; i < n; ++i) {
    const int fd = static_cast<int>(events[i].data.u64);
    if (fd == wake_fd()) {
      uint64_t value;
      (void)!::read(wake_fd(), &value, sizeof(value));
      continue;
    }
    if (Socket* sock = FindSocket(fd)) {
      HandleSocket(*sock, events[i].events);
      continue;
    }
    auto it = listeners_.find(fd);
    if (it != listeners_.end()) HandleListener(*it->second);
  }
}

void EpollLoop::Detach(int fd, std::function<void()> done) {
  auto it = sockets_.find(fd);
  if (it == sockets_.end()) {
    if (done) Defer(std::move(done));
    return;
  }
  std::shared_ptr<Socket> sock(std::move(it->second));
  sockets_.erase(it);
  sock->detached = true;
  UpdateInterest(*sock);  // leaves the epoll set; no kernel op refers to fd
  // Runs after any OnSendDone already deferred (FIFO), which see detached.
  Defer([sock, done = std::move(done)] {
    if (done) done();
  });
}

}  // namespace roost::net
