// EpollLoop: the fallback IoLoop backend, readiness turned into completions.
//
// Design choices:
//  - Level-triggered. Each readable socket gets one read() of at most the
//    scratch size per iteration, which keeps a fast sender from starving
//    the others (edge-triggered would force us to drain to EAGAIN or keep
//    our own "still readable" list). Pausing input is then just dropping
//    EPOLLIN from the interest set; the bytes wait in the kernel.
//  - One loop-wide 64 KB scratch buffer for all reads, so an idle socket
//    holds no receive memory (the same property the uring backend gets
//    from its provided-buffer ring). OnRecv's span points into it and is
//    valid only during the call, as io_loop.h says.
//  - Send() tries sendmsg(MSG_NOSIGNAL) at once (redis pattern: write on
//    the way out, only register for writability when the socket is full);
//    on EAGAIN it copies the iovec array and waits for EPOLLOUT. A partial
//    write completes the Send with the short count; the caller re-sends.
//  - A socket with nothing to wait for is removed from the epoll set, so an
//    EPOLLHUP on a paused socket cannot make a level-triggered loop spin.
//  - OnSendDone and Detach's `done` are deferred (LoopBase::Defer), never
//    run inside Send()/Detach(); a deferred OnSendDone is dropped if the
//    socket was detached meanwhile.
//
// Thread affinity: as IoLoop (IO thread only except Post/Stop/InLoopThread).
#pragma once

#include <memory>
#include <unordered_map>
#include <vector>

#include "base/result.h"
#include "net/loop_base.h"

namespace roost::net {

class EpollLoop final : public LoopBase {
 public:
  static Result<std::unique_ptr<EpollLoop>> Create(const IoLoop::Options& options);
  ~EpollLoop() override;

  IoBackend backend() const override { return IoBackend::kEpoll; }
  Status AddListener(int listen_fd, AcceptFn on_accept) override;
  void RemoveListener(int listen_fd, std::function<void()> done) override;
  Status Attach(int fd, SocketHandler* handler) override;
  void PauseRecv(int fd) override;
  void ResumeRecv(int fd) override;
  void Send(int fd, std::span<const iovec> iov) override;
  void Detach(int fd, std::function<void()> done) override;
  size_t attached_sockets() const override { return sockets_.size(); }

 private:
  struct Socket {
    int fd = -1;
    SocketHandler* handler = nullptr;
    bool paused = false;
    bool recv_closed = false;
    bool detached = false;
    bool registered = false;   // in the epoll set
    uint32_t events = 0;       // current interest mask when registered
    std::vector<iovec> pending_send;  // non-empty while waiting for EPOLLOUT
  };
  struct Listener {
    int fd = -1;
    AcceptFn on_accept;
    bool registered = false;
  };

  EpollLoop() = default;
  void Poll(std::optional<std::chrono::nanoseconds> timeout) override;
  Socket* FindSocket(int fd);
  void UpdateInterest(Socket& sock);
  void HandleSocket(Socket& sock, uint32_t events);
  void HandleReadable(Socket& sock);
  void HandleWritable(Socket& sock);
  void HandleListener(Listener& listener);
  // Writes `iov`; defers OnSendDone unless the socket is full (returns
  // false then, leaving the caller to wait for EPOLLOUT).
  bool TrySend(Socket& sock, std::span<const iovec> iov);
  void DeferSendDone(Socket& sock, Result<size_t> result);
  void SetListenerArmed(Listener& listener, bool armed);

  int epoll_fd_ = -1;
  std::vector<char> scratch_;
  std::unordered_map<int, std::unique_ptr<Socket>> sockets_;
  std::unordered_map<int, std::unique_ptr<Listener>> listeners_;
};

}  // namespace roost::net
