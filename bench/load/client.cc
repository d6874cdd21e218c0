#include "client.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "worker.h"

namespace roost::bench {

Client::Client(Worker& worker) : worker_(worker) {}

Client::~Client() { Close(); }

Stats& Client::stats() { return worker_.stats(); }
const Options& Client::options() const { return worker_.options(); }

void Client::RequestConnect() { worker_.RequestConnect(this); }

void Client::FinishConnect() {
  if (!connect_slot_) return;
  connect_slot_ = false;
  worker_.ReleaseConnectSlot(this);
  if (!ramp_done_ && counts_as_client()) {
    ramp_done_ = true;
    worker_.NoteRampDone();
  }
}

void Client::SetDeadline(std::chrono::nanoseconds from_now) {
  has_deadline_ = true;
  deadline_ = worker_.now() + from_now;
}

void Client::ArmTimer(SteadyTime at) { worker_.ArmTimer(this, at); }

void Client::BeginConnect() {
  connect_slot_ = true;
  if (counts_as_client()) ++stats().connect_attempts;
  in_.clear();
  out_.clear();
  fd_ = ::socket(worker_.address().ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd_ < 0) return Fail(fmt::format("socket() failed: {}", std::strerror(errno)));
  int one = 1;
  ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  int rc = ::connect(fd_, reinterpret_cast<const sockaddr*>(&worker_.address()),
                     worker_.address_len());
  if (rc != 0 && errno != EINPROGRESS) {
    return Fail(fmt::format("connect() failed: {}", std::strerror(errno)));
  }
  // Edge-triggered for both directions, registered once per socket: every
  // handler below reads and writes until EAGAIN, so no epoll_ctl(MOD) churn.
  epoll_event ev{};
  ev.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET;
  ev.data.ptr = this;
  if (::epoll_ctl(worker_.epoll_fd(), EPOLL_CTL_ADD, fd_, &ev) != 0) {
    return Fail(fmt::format("epoll_ctl() failed: {}", std::strerror(errno)));
  }
  state_ = State::kConnecting;
  SetDeadline(std::chrono::duration_cast<std::chrono::nanoseconds>(
      std::chrono::duration<double>(options().timeout_s)));
}

void Client::Close() {
  if (ssl_ != nullptr) {
    SSL_free(ssl_);
    ssl_ = nullptr;
  }
  if (fd_ >= 0) {
    ::close(fd_);  // also removes it from the epoll set
    fd_ = -1;
  }
  state_ = State::kIdle;
  has_deadline_ = false;
  in_.clear();
  out_.clear();
  FinishConnect();
}

void Client::Fail(std::string_view why) {
  Close();
  OnTransportError(why);
}

void Client::HandleEvents(uint32_t events) {
  if (fd_ < 0) return;
  if (state_ == State::kConnecting) {
    if ((events & (EPOLLOUT | EPOLLERR | EPOLLHUP)) == 0) return;
    int err = 0;
    socklen_t len = sizeof(err);
    ::getsockopt(fd_, SOL_SOCKET, SO_ERROR, &err, &len);
    if (err != 0) return Fail(fmt::format("connect failed: {}", std::strerror(err)));
    state_ = State::kOpen;
    OnConnected();
    if (fd_ < 0) return;
  }
  if (state_ == State::kHandshake) {
    DriveHandshake();
    return;
  }
  if (state_ == State::kOpen) {
    FlushOutput();
    if (fd_ >= 0 && state_ == State::kOpen) ReadInput();
  }
}

void Client::StartTls() {
  in_.clear();
  ssl_ = SSL_new(worker_.ssl_ctx());
  if (ssl_ == nullptr) return Fail("SSL_new failed");
  SSL_set_fd(ssl_, fd_);
  SSL_set_tlsext_host_name(ssl_, "localhost");
  SSL_set_connect_state(ssl_);
  SSL_set_mode(ssl_, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
  state_ = State::kHandshake;
  DriveHandshake();
}

void Client::DriveHandshake() {
  int rc = SSL_do_handshake(ssl_);
  if (rc == 1) {
    state_ = State::kOpen;
    OnTlsReady();
    // Data may have arrived together with the last handshake flight.
    if (fd_ >= 0 && state_ == State::kOpen) ReadInput();
    return;
  }
  int err = SSL_get_error(ssl_, rc);
  if (err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE) return;
  Fail(fmt::format("TLS handshake failed (SSL error {})", err));
}

void Client::Send(std::string_view data) {
  if (fd_ < 0) return;
  out_.append(data);
  if (state_ == State::kOpen) FlushOutput();
}

void Client::FlushOutput() {
  while (!out_.empty() && fd_ >= 0) {
    ssize_t n;
    if (ssl_ != nullptr) {
      n = SSL_write(ssl_, out_.data(), static_cast<int>(out_.size()));
      if (n <= 0) {
        int err = SSL_get_error(ssl_, static_cast<int>(n));
        if (err == SSL_ERROR_WANT_WRITE || err == SSL_ERROR_WANT_READ) return;
        return Fail(fmt::format("TLS write failed (SSL error {})", err));
      }
    } else {
      n = ::send(fd_, out_.data(), out_.size(), MSG_NOSIGNAL);
      if (n < 0) {
        if (errno == EAGAIN || errno == EINTR) return;
        return Fail(fmt::format("send failed: {}", std::strerror(errno)));
      }
    }
    out_.erase(0, static_cast<size_t>(n));
  }
}

void Client::ReadInput() {
  char buf[16384];
  while (fd_ >= 0 && state_ == State::kOpen) {
    ssize_t n;
    if (ssl_ != nullptr) {
      n = SSL_read(ssl_, buf, sizeof(buf));
      if (n <= 0) {
        int err = SSL_get_error(ssl_, static_cast<int>(n));
        if (err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE) return;
        if (err == SSL_ERROR_ZERO_RETURN) return Fail("connection closed by server (TLS close_notify)");
        return Fail(fmt::format("connection closed by server (SSL error {})", err));
      }
    } else {
      n = ::recv(fd_, buf, sizeof(buf), 0);
      if (n < 0) {
        if (errno == EAGAIN || errno == EINTR) return;
        return Fail(fmt::format("recv failed: {}", std::strerror(errno)));
      }
      if (n == 0) return Fail("connection closed by server");
    }
    in_.append(buf, static_cast<size_t>(n));
    DeliverLines();
  }
}

void Client::DeliverLines() {
  size_t start = 0;
  // A callback may Close() or StartTls(); stop delivering as soon as the
  // connection is no longer the plain open one these bytes arrived on.
  SSL* ssl_before = ssl_;
  while (fd_ >= 0 && state_ == State::kOpen && ssl_ == ssl_before) {
    size_t eol = in_.find("\r\n", start);
    if (eol == std::string::npos) break;
    std::string line = in_.substr(start, eol - start);
    start = eol + 2;
    OnLine(line);
  }
  // Close() and StartTls() clear the buffer themselves: bytes that were
  // pipelined behind a STARTTLS reply in plaintext must never be read as if
  // they came over TLS (RFC 3501 §6.2.1).
  if (fd_ >= 0 && state_ == State::kOpen && ssl_ == ssl_before) in_.erase(0, start);
}

}  // namespace roost::bench
