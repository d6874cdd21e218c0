// Test helpers for net/: a line framer, a recording handler and factory, a
// loop running on its own thread, and a blocking loopback client.
//
// LineFramer splits at "\n" (dropping a trailing "\r"); a line equal to
// "CONT" first yields a continuation "+ go\r\n", then the frame. Lines over
// max_line yield one fatal kLineTooLong frame.
//
// RecordingHandler records every callback under a mutex; in echo mode it
// answers each frame from a separate worker thread ("echo: <line>\r\n")
// and returns credit, proving the handle is usable off the IO thread.
//
// Thread affinity: handler records are thread-safe; everything else is
// test-thread only unless noted. All waits are bounded (kWaitTimeout).
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "net/connection_manager.h"
#include "net/io_loop.h"
#include "net/listener.h"
#include "net/protocol.h"

namespace roost::net::testing {

inline constexpr std::chrono::seconds kWaitTimeout{20};

class LineFramer final : public Framer {
 public:
  FramerStep Step(std::string_view input) override {
    FramerStep step;
    size_t nl = input.find('\n');
    if (nl == std::string_view::npos) {
      step.consumed = input.size();
      if (partial_.size() + input.size() > limits_.max_line) {
        partial_.clear();
        step.kind = FramerStep::Kind::kFrame;
        step.frame.error = FrameError{FrameError::Kind::kLineTooLong, true, ""};
        return step;
      }
      partial_.append(input);
      return step;
    }
    std::string line = partial_ + std::string(input.substr(0, nl));
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line == "CONT" && !continuation_sent_) {
      continuation_sent_ = true;
      step.kind = FramerStep::Kind::kContinuation;
      step.continuation = "+ go\r\n";
      return step;  // consumed 0: the line is framed on the next step
    }
    continuation_sent_ = false;
    partial_.clear();
    step.kind = FramerStep::Kind::kFrame;
    step.consumed = nl + 1;
    step.frame.bytes = std::move(line);
    return step;
  }
  void SetLimits(const FrameLimits& limits) override { limits_ = limits; }
  bool Idle() const override { return partial_.empty(); }

 private:
  FrameLimits limits_;
  std::string partial_;
  bool continuation_sent_ = false;
};

// One worker thread with a task queue: where "session" work runs.
class Worker {
 public:
  Worker() : thread_([this] { Loop(); }) {}
  ~Worker() {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }
  void Post(std::function<void()> fn) {
    {
      std::lock_guard lock(mu_);
      queue_.push_back(std::move(fn));
    }
    cv_.notify_all();
  }

 private:
  void Loop() {
    std::unique_lock lock(mu_);
    for (;;) {
      cv_.wait(lock, [this] { return stop_ || !queue_.empty(); });
      if (queue_.empty()) return;
      auto fn = std::move(queue_.front());
      queue_.pop_front();
      lock.unlock();
      fn();
      lock.lock();
    }
  }
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> queue_;
  bool stop_ = false;
  std::thread thread_;
};

class RecordingHandler;
// Runs on the Worker for each frame (as a session's strand would).
using FrameHook = std::function<void(RecordingHandler& handler, const std::string& line)>;

// The default hook: "echo: <line>\r\n", then return the credit.
inline void EchoHook(RecordingHandler& handler, const std::string& line);

class RecordingHandler final : public ConnectionHandler {
 public:
  RecordingHandler(ConnectionHandle handle, PeerInfo peer, Worker* worker, FrameHook hook)
      : handle_(std::move(handle)), created_peer_(std::move(peer)), worker_(worker), hook_(std::move(hook)) {}

  void OnOpen(const PeerInfo& peer) override {
    Record([&] {
      opened_ = true;
      open_peer_ = peer;
    });
  }
  void OnFrame(Frame frame) override {
    std::string line = frame.error ? "ERROR:" + std::string(FrameErrorName(frame.error->kind)) : frame.bytes;
    Record([&] { frames_.push_back(line); });
    if (worker_ != nullptr && hook_) {
      // Keeps the handler alive like a strand task holding its session.
      worker_->Post([self = shared_from_this_(), line] { self->hook_(*self, line); });
    }
  }
  void OnWritable() override { Record([&] { ++writable_; }); }
  void OnTlsStarted(const Status& status, const TlsInfo& info) override {
    Record([&] { tls_results_.push_back(status.ok() ? "ok:" + info.version : status.ToString()); });
  }
  void OnShutdown() override { Record([&] { ++shutdowns_; }); }
  void OnClose() override { Record([&] { ++closes_; }); }

  const ConnectionHandle& handle() const { return handle_; }
  const PeerInfo& created_peer() const { return created_peer_; }

  // Waits (bounded) until pred() holds under the lock; returns pred().
  bool WaitFor(const std::function<bool(RecordingHandler&)>& pred) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, kWaitTimeout, [&] { return pred(*this); });
  }
  template <typename Fn>
  auto Read(Fn fn) {
    std::lock_guard lock(mu_);
    return fn(*this);
  }

  // Guarded by mu_ (use Read/WaitFor).
  bool opened_ = false;
  PeerInfo open_peer_;
  std::vector<std::string> frames_;
  std::vector<std::string> tls_results_;
  int writable_ = 0;
  int shutdowns_ = 0;
  int closes_ = 0;

 private:
  template <typename Fn>
  void Record(Fn fn) {
    {
      std::lock_guard lock(mu_);
      fn();
    }
    cv_.notify_all();
  }
  std::shared_ptr<RecordingHandler> shared_from_this_() { return weak_self_.lock(); }

 public:
  std::weak_ptr<RecordingHandler> weak_self_;

 private:
  ConnectionHandle handle_;
  PeerInfo created_peer_;
  Worker* worker_;
  FrameHook hook_;
  std::mutex mu_;
  std::condition_variable cv_;
};

inline void EchoHook(RecordingHandler& handler, const std::string& line) {
  handler.handle()->Write("echo: " + line + "\r\n");
  handler.handle()->FrameDone();
}

class TestFactory final : public HandlerFactory {
 public:
  // Without a worker, frames are only recorded (the test returns credit).
  explicit TestFactory(Worker* worker = nullptr, FrameHook hook = EchoHook)
      : worker_(worker), hook_(std::move(hook)) {}
  std::string_view protocol() const override { return "test"; }
  std::unique_ptr<Framer> NewFramer() override { return std::make_unique<LineFramer>(); }
  std::shared_ptr<ConnectionHandler> NewHandler(ConnectionHandle handle, const PeerInfo& peer) override {
    auto handler = std::make_shared<RecordingHandler>(std::move(handle), peer, worker_, hook_);
    handler->weak_self_ = handler;
    {
      std::lock_guard lock(mu_);
      handlers_.push_back(handler);
    }
    cv_.notify_all();
    return handler;
  }
  // Waits (bounded) for the n-th handler (0-based) to exist.
  std::shared_ptr<RecordingHandler> WaitHandler(size_t n) {
    std::unique_lock lock(mu_);
    if (!cv_.wait_for(lock, kWaitTimeout, [&] { return handlers_.size() > n; })) return nullptr;
    return handlers_[n];
  }
  void Reserve(size_t n) {
    std::lock_guard lock(mu_);
    handlers_.reserve(n);
  }
  std::vector<std::shared_ptr<RecordingHandler>> handlers() {
    std::lock_guard lock(mu_);
    return handlers_;
  }

 private:
  Worker* worker_;
  FrameHook hook_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::shared_ptr<RecordingHandler>> handlers_;
};

// An IoLoop running on its own thread.
class LoopThread {
 public:
  explicit LoopThread(IoBackend backend) {
    IoLoop::Options options;
    options.backend = backend;
    options.ring_entries = 256;
    options.recv_buffers = 256;
    auto loop = IoLoop::Create(options);
    if (!loop.has_value()) {
      ADD_FAILURE() << "IoLoop::Create: " << loop.error().ToString();
      return;
    }
    loop_ = std::move(loop).value();
    thread_ = std::thread([this] { loop_->Run(); });
  }
  ~LoopThread() { StopAndJoin(); }
  void StopAndJoin() {
    if (!thread_.joinable()) return;
    loop_->Stop();
    thread_.join();
  }
  bool ok() const { return loop_ != nullptr; }
  IoLoop& loop() { return *loop_; }

  // Runs fn on the IO thread and waits for it.
  template <typename Fn>
  auto RunSync(Fn fn) {
    std::packaged_task<decltype(fn())()> task(std::move(fn));
    auto future = task.get_future();
    loop_->Post([&task] { task(); });
    if (future.wait_for(kWaitTimeout) != std::future_status::ready) {
      ADD_FAILURE() << "IO thread did not run the task";
      std::abort();
    }
    return future.get();
  }

 private:
  std::unique_ptr<IoLoop> loop_;
  std::thread thread_;
};

// A blocking loopback client with receive timeouts, so a broken server
// fails a test instead of hanging it.
class Client {
 public:
  // `rcvbuf` > 0 shrinks the receive buffer (and stops autotuning), so a
  // client that does not read makes the server queue output quickly.
  explicit Client(const SocketAddress& server, int rcvbuf = 0) {
    fd_ = socket(server.storage.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (rcvbuf > 0) setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
    timeval tv{.tv_sec = kWaitTimeout.count(), .tv_usec = 0};
    setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
    int r = connect(fd_, reinterpret_cast<const sockaddr*>(&server.storage), server.len);
    if (r != 0 && errno == EINTR) {
      // Interrupted (see Fill): the handshake goes on; wait for its result.
      pollfd pfd{.fd = fd_, .events = POLLOUT, .revents = 0};
      int err = -1;
      socklen_t len = sizeof(err);
      while ((r = poll(&pfd, 1, 20'000)) < 0 && errno == EINTR) {}
      if (r == 1 && getsockopt(fd_, SOL_SOCKET, SO_ERROR, &err, &len) == 0) r = err;
      else r = -1;
    }
    connected_ = r == 0;
  }
  ~Client() { Close(); }
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  bool connected() const { return connected_; }
  int fd() const { return fd_; }
  void Close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }
  bool Send(std::string_view data) {
    while (!data.empty()) {
      ssize_t n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return false;
      data.remove_prefix(static_cast<size_t>(n));
    }
    return true;
  }
  // One line without its "\r\n"; "<eof>" or "<error>" otherwise.
  std::string ReadLine() {
    for (;;) {
      size_t nl = buffer_.find('\n');
      if (nl != std::string::npos) {
        std::string line = buffer_.substr(0, nl);
        buffer_.erase(0, nl + 1);
        if (!line.empty() && line.back() == '\r') line.pop_back();
        return line;
      }
      int r = Fill();
      if (r == 0) return "<eof>";
      if (r < 0) return "<error>";
    }
  }
  // Exactly n bytes (fewer on EOF/error/timeout).
  std::string ReadExact(size_t n) {
    while (buffer_.size() < n && Fill() > 0) {}
    std::string out = buffer_.substr(0, std::min(n, buffer_.size()));
    buffer_.erase(0, out.size());
    return out;
  }
  // Reads until EOF (or error/timeout); returns everything read.
  std::string ReadAll(bool* eof = nullptr) {
    int r;
    while ((r = Fill()) > 0) {}
    if (eof != nullptr) *eof = r == 0;
    return std::exchange(buffer_, std::string());
  }
  // True if the server closed the connection (EOF or reset) in time.
  bool WaitClosed() {
    int r;
    while ((r = Fill()) > 0) {}
    return r == 0 || (r < 0 && errno == ECONNRESET);
  }

 private:
  int Fill() {
    char buf[65536];
    ssize_t n;
    // EINTR happens without signals here: io_uring task work aimed at this
    // thread (a ring created on it) interrupts sleeps that have a timeout.
    do {
      n = ::recv(fd_, buf, sizeof(buf), 0);
    } while (n < 0 && errno == EINTR);
    if (n > 0) buffer_.append(buf, static_cast<size_t>(n));
    return n > 0 ? 1 : (n == 0 ? 0 : -1);
  }
  int fd_ = -1;
  bool connected_ = false;
  std::string buffer_;
};

// Polls `pred` (bounded by kWaitTimeout); returns its last value.
inline bool WaitUntil(const std::function<bool()>& pred) {
  auto deadline = std::chrono::steady_clock::now() + kWaitTimeout;
  while (!pred()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return true;
}

// A loop thread, a manager, a worker and (after Listen) one listener on
// 127.0.0.1:0. Parameterised by backend so every test runs on both.
class LoopTest : public ::testing::TestWithParam<IoBackend> {
 protected:
  void SetUp() override {
    loop_ = std::make_unique<LoopThread>(GetParam());
    ASSERT_TRUE(loop_->ok());
    manager_ = std::make_unique<ConnectionManager>(loop_->loop());
    worker_ = std::make_unique<Worker>();
  }

  void TearDown() override {
    if (!loop_ || !loop_->ok()) return;
    if (listener_) {
      auto stopped = std::make_shared<std::promise<void>>();
      loop_->RunSync([&] { listener_->Stop([stopped] { stopped->set_value(); }); });
      EXPECT_EQ(stopped->get_future().wait_for(kWaitTimeout), std::future_status::ready);
    }
    loop_->RunSync([&] { manager_->AbortAll(); });
    EXPECT_TRUE(WaitUntil([&] { return manager_->size() == 0; }));
    worker_.reset();  // no more hook tasks touching handles
    loop_->StopAndJoin();
    listener_.reset();
    manager_.reset();
    loop_.reset();
  }

  void Listen(ListenerOptions options, std::shared_ptr<HandlerFactory> factory,
              std::string_view address = "127.0.0.1:0") {
    Result<int> fd = BindListenSocket(address);
    ASSERT_TRUE(fd.has_value()) << fd.error().ToString();
    Result<SocketAddress> bound = BoundAddress(*fd);
    ASSERT_TRUE(bound.has_value());
    address_ = *bound;
    listener_ = std::make_unique<Listener>(*manager_, *fd, std::move(options), std::move(factory));
    Status started = loop_->RunSync([&] { return listener_->Start(); });
    ASSERT_TRUE(started.ok()) << started.ToString();
  }

  std::unique_ptr<LoopThread> loop_;
  std::unique_ptr<ConnectionManager> manager_;
  std::unique_ptr<Worker> worker_;
  std::unique_ptr<Listener> listener_;
  SocketAddress address_;
};

inline std::string BackendName(const ::testing::TestParamInfo<IoBackend>& info) {
  return std::string(IoBackendName(info.param));
}

}  // namespace roost::net::testing
