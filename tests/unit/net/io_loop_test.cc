// IoLoop tests, run against both backends (STYLE.md convention 9).
#include "net/io_loop.h"

#include "base/metrics.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <atomic>
#include <future>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

namespace roost::net {
namespace {

using std::chrono::milliseconds;
constexpr auto kWait = std::chrono::seconds(20);

// Byte i of a test stream: a pattern that catches reordering and loss.
char PatternByte(size_t i, size_t salt = 0) { return static_cast<char>((i * 131 + salt * 7 + i / 251) & 0xff); }
std::string Pattern(size_t n, size_t salt = 0) {
  std::string s(n, '\0');
  for (size_t i = 0; i < n; ++i) s[i] = PatternByte(i, salt);
  return s;
}

int CountOpenFds() {
  int n = 0;
  DIR* dir = opendir("/proc/self/fd");
  while (dirent* e = readdir(dir)) {
    if (e->d_name[0] != '.') ++n;
  }
  closedir(dir);
  return n - 1;  // the DIR's own fd
}

// Makes a listening socket on 127.0.0.1 with a kernel-chosen port.
int MakeListener(uint16_t* port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  EXPECT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  EXPECT_EQ(::listen(fd, 1024), 0);
  socklen_t len = sizeof(addr);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  *port = ntohs(addr.sin_port);
  return fd;
}

int Connect(uint16_t port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(port);
  EXPECT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0) << strerror(errno);
  return fd;
}

bool WriteAll(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n <= 0) return false;
    data.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

std::string ReadExactly(int fd, size_t n) {
  std::string out(n, '\0');
  size_t got = 0;
  while (got < n) {
    ssize_t r = ::read(fd, out.data() + got, n - got);
    if (r <= 0) break;
    got += static_cast<size_t>(r);
  }
  out.resize(got);
  return out;
}

// Waits (bounded) until pred() holds; returns whether it did.
template <typename Pred>
bool WaitFor(Pred pred) {
  auto deadline = std::chrono::steady_clock::now() + kWait;
  while (!pred()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(milliseconds(1));
  }
  return true;
}

// A handler that records everything and can echo.
class TestHandler : public SocketHandler {
 public:
  TestHandler(IoLoop* loop, int fd, bool echo) : loop_(loop), fd_(fd), echo_(echo) {}

  void OnRecv(std::span<const char> data) override {
    CheckCallback();
    received.append(data.data(), data.size());
    recv_bytes += data.size();
    if (echo_) {
      out_.append(data.data(), data.size());
      SendMore();
    }
  }
  void OnRecvClosed(Status status) override {
    CheckCallback();
    ++closed;
    close_status = status;
    if (on_closed) on_closed(this);
  }
  void OnSendDone(Result<size_t> sent) override {
    CheckCallback();
    sending_ = false;
    ++sends_done;
    if (!sent.has_value()) {
      send_failed = true;
      return;
    }
    out_off_ += *sent;
    if (out_off_ == inflight_.size()) {
      inflight_.clear();
      out_off_ = 0;
    }
    SendMore();
  }
  // Queues bytes to send (used without echo).
  void Write(std::string data) {
    out_ += data;
    SendMore();
  }
  void Detach(std::function<void()> then = nullptr) {
    detach_called = true;
    loop_->Detach(fd_, [this, then] {
      EXPECT_TRUE(loop_->InLoopThread());
      ++detach_done;
      if (then) then();
    });
  }

  std::string received;
  std::atomic<size_t> recv_bytes{0};
  std::atomic<int> closed{0};
  Status close_status;
  std::atomic<int> sends_done{0};
  std::atomic<int> detach_done{0};
  std::atomic<int> late_callbacks{0};  // callbacks after Detach's done
  std::atomic<int> wrong_thread{0};
  bool send_failed = false;
  bool detach_called = false;
  std::function<void(TestHandler*)> on_closed;
  int fd() const { return fd_; }
  bool sending() const { return sending_; }

 private:
  void CheckCallback() {
    if (detach_done > 0) ++late_callbacks;
    if (!loop_->InLoopThread()) ++wrong_thread;
  }
  // The bytes of a Send in flight must stay unchanged (io_loop.h), so new
  // output collects in out_ while inflight_ is being sent.
  void SendMore() {
    if (sending_) return;
    if (inflight_.empty()) inflight_.swap(out_);
    if (inflight_.empty()) return;
    iovec iov{inflight_.data() + out_off_, inflight_.size() - out_off_};
    sending_ = true;
    loop_->Send(fd_, std::span<const iovec>(&iov, 1));
  }

  IoLoop* loop_;
  int fd_;
  bool echo_;
  bool sending_ = false;
  std::string out_;       // waiting to be sent
  std::string inflight_;  // handed to Send(); offset out_off_ already sent
  size_t out_off_ = 0;
};

class IoLoopTest : public ::testing::TestWithParam<IoBackend> {
 protected:
  void SetUp() override { StartLoop(IoLoop::Options{}); }
  void TearDown() override { StopLoop(); }

  void StartLoop(IoLoop::Options options) {
    options.backend = GetParam();
    auto loop = IoLoop::Create(options);
    ASSERT_TRUE(loop.has_value()) << loop.error().ToString();
    loop_ = std::move(loop).value();
    ASSERT_EQ(loop_->backend(), GetParam());
    thread_ = std::thread([this] { loop_->Run(); });
  }
  void StopLoop() {
    if (!loop_) return;
    // Detach and close whatever the test left behind, then stop.
    OnLoop([this] {
      for (auto& h : handlers_) {
        if (!h->detach_called) h->Detach([fd = h->fd()] { ::close(fd); });
      }
    });
    OnLoop([] {});
    loop_->Stop();
    thread_.join();
    handlers_.clear();
    loop_.reset();
  }

  // Runs fn on the loop thread and waits for it.
  void OnLoop(std::function<void()> fn) {
    std::promise<void> done;
    loop_->Post([&] {
      fn();
      done.set_value();
    });
    ASSERT_EQ(done.get_future().wait_for(kWait), std::future_status::ready);
  }

  // Listens and attaches a TestHandler to each accepted connection.
  uint16_t Listen(bool echo) {
    uint16_t port = 0;
    listen_fd_ = MakeListener(&port);
    OnLoop([this, echo] {
      Status s = loop_->AddListener(listen_fd_, [this, echo](int fd, const SocketAddress& peer) {
        EXPECT_EQ(peer.Host(), "127.0.0.1");
        EXPECT_TRUE(::fcntl(fd, F_GETFL) & O_NONBLOCK);
        EXPECT_TRUE(::fcntl(fd, F_GETFD) & FD_CLOEXEC);
        auto h = std::make_unique<TestHandler>(loop_.get(), fd, echo);
        if (on_new_handler_) on_new_handler_(h.get());
        EXPECT_TRUE(loop_->Attach(fd, h.get()).ok());
        handlers_.push_back(std::move(h));
        ++accepted_;
      });
      ASSERT_TRUE(s.ok()) << s.ToString();
    });
    return port;
  }
  void Unlisten() {
    std::promise<void> removed;
    OnLoop([&] { loop_->RemoveListener(listen_fd_, [&] { removed.set_value(); }); });
    ASSERT_EQ(removed.get_future().wait_for(kWait), std::future_status::ready);
    ::close(listen_fd_);
  }
  // The handler of the n-th accepted connection (0-based), once accepted.
  TestHandler* WaitHandler(int n) {
    EXPECT_TRUE(WaitFor([&] { return accepted_ > n; }));
    TestHandler* h = nullptr;
    OnLoop([&] { h = handlers_[static_cast<size_t>(n)].get(); });
    return h;
  }

  std::unique_ptr<IoLoop> loop_;
  std::thread thread_;
  int listen_fd_ = -1;
  std::atomic<int> accepted_{0};
  // In accept order; fds may be reused once closed. Loop thread only.
  std::vector<std::unique_ptr<TestHandler>> handlers_;
  std::function<void(TestHandler*)> on_new_handler_;  // set before Listen or on the loop
};

TEST_P(IoLoopTest, EchoSmall) {
  uint16_t port = Listen(/*echo=*/true);
  int c = Connect(port);
  ASSERT_TRUE(WriteAll(c, "hello, loop"));
  EXPECT_EQ(ReadExactly(c, 11), "hello, loop");
  ::close(c);
  Unlisten();
}

TEST_P(IoLoopTest, EchoFourMegabytesWithShortWrites) {
  uint16_t port = Listen(/*echo=*/true);
  int c = Connect(port);
  const std::string payload = Pattern(4 << 20);
  // Write everything before reading a byte: the server's sends fill the
  // socket buffers and must survive short writes / EAGAIN.
  std::thread writer([&] { EXPECT_TRUE(WriteAll(c, payload)); });
  writer.join();
  std::string echoed = ReadExactly(c, payload.size());
  EXPECT_EQ(echoed.size(), payload.size());
  EXPECT_TRUE(echoed == payload);
  TestHandler* h = WaitHandler(0);
  EXPECT_GT(h->sends_done.load(), 1) << "expected the 4 MB echo to take several sends";
  EXPECT_EQ(h->wrong_thread.load(), 0);
  ::close(c);
  Unlisten();
}

TEST_P(IoLoopTest, PauseRecvHoldsBytesUntilResume) {
  uint16_t port = Listen(/*echo=*/false);
  int c = Connect(port);
  TestHandler* h = WaitHandler(0);
  ASSERT_TRUE(WriteAll(c, "abc"));
  ASSERT_TRUE(WaitFor([&] { return h->recv_bytes == 3; }));
  OnLoop([&] { loop_->PauseRecv(h->fd()); });
  OnLoop([] {});  // one more iteration: the cancel (uring) has gone out
  ASSERT_TRUE(WriteAll(c, "defg"));
  // The bytes wait in the kernel's socket buffer, not in the handler.
  ASSERT_TRUE(WaitFor([&] {
    int queued = 0;
    ::ioctl(h->fd(), FIONREAD, &queued);
    return queued == 4;
  }));
  OnLoop([] {});
  OnLoop([&] { EXPECT_EQ(h->received, "abc"); });
  OnLoop([&] { loop_->ResumeRecv(h->fd()); });
  ASSERT_TRUE(WaitFor([&] { return h->recv_bytes == 7; }));
  OnLoop([&] { EXPECT_EQ(h->received, "abcdefg"); });
  ::close(c);
  Unlisten();
}

TEST_P(IoLoopTest, PauseResumeRepeatedlyKeepsOrder) {
  uint16_t port = Listen(/*echo=*/false);
  int c = Connect(port);
  TestHandler* h = WaitHandler(0);
  const std::string payload = Pattern(1 << 20, 3);
  std::thread writer([&] { EXPECT_TRUE(WriteAll(c, payload)); });
  // Toggle while data streams in; whatever was in flight must not be lost
  // or reordered.
  for (int i = 0; i < 50; ++i) {
    OnLoop([&] { loop_->PauseRecv(h->fd()); });
    OnLoop([&] { loop_->ResumeRecv(h->fd()); });
  }
  writer.join();
  ASSERT_TRUE(WaitFor([&] { return h->recv_bytes == payload.size(); }));
  OnLoop([&] { EXPECT_TRUE(h->received == payload); });
  ::close(c);
  Unlisten();
}

TEST_P(IoLoopTest, PeerCloseReportsOkOnce) {
  uint16_t port = Listen(/*echo=*/false);
  int c = Connect(port);
  TestHandler* h = WaitHandler(0);
  ASSERT_TRUE(WriteAll(c, "bye"));
  ::close(c);
  ASSERT_TRUE(WaitFor([&] { return h->closed == 1; }));
  OnLoop([] {});
  OnLoop([&] {
    EXPECT_EQ(h->received, "bye");
    EXPECT_TRUE(h->close_status.ok()) << h->close_status.ToString();
    EXPECT_EQ(h->closed.load(), 1);
  });
  Unlisten();
}

TEST_P(IoLoopTest, ResetReportsClosedExactlyOnce) {
  uint16_t port = Listen(/*echo=*/false);
  int c = Connect(port);
  TestHandler* h = WaitHandler(0);
  linger lg{1, 0};  // close() sends RST
  ASSERT_EQ(::setsockopt(c, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)), 0);
  ::close(c);
  ASSERT_TRUE(WaitFor([&] { return h->closed >= 1; }));
  OnLoop([] {});
  OnLoop([&] { EXPECT_EQ(h->closed.load(), 1); });
  Unlisten();
}

TEST_P(IoLoopTest, TimersFireInDeadlineOrderAndCancel) {
  std::vector<std::string> fired;  // loop thread only
  std::promise<void> last;
  OnLoop([&] {
    loop_->RunAfter(milliseconds(60), [&] {
      fired.push_back("60");
      last.set_value();
    });
    loop_->RunAfter(milliseconds(20), [&] {
      fired.push_back("20");
      // A timer armed from inside a timer callback.
      loop_->RunAfter(milliseconds(0), [&] { fired.push_back("20+0"); });
    });
    loop_->RunAfter(milliseconds(40), [&] { fired.push_back("40"); });
    TimerId cancelled = loop_->RunAfter(milliseconds(30), [&] { fired.push_back("30"); });
    loop_->RunAfter(milliseconds(10), [&] { fired.push_back("10"); });
    loop_->CancelTimer(cancelled);
  });
  ASSERT_EQ(last.get_future().wait_for(kWait), std::future_status::ready);
  OnLoop([&] {
    ASSERT_EQ(fired.size(), 5u);
    std::vector<std::string> by_deadline;
    for (const auto& f : fired) {
      if (f != "20+0") by_deadline.push_back(f);
    }
    EXPECT_EQ(by_deadline, (std::vector<std::string>{"10", "20", "40", "60"}));
    auto pos = [&](const std::string& s) { return std::find(fired.begin(), fired.end(), s) - fired.begin(); };
    EXPECT_GT(pos("20+0"), pos("20"));
  });
}

TEST_P(IoLoopTest, TimerChainFromCallbacks) {
  std::promise<void> done;
  int count = 0;
  std::function<void()> tick = [&] {
    EXPECT_TRUE(loop_->InLoopThread());
    if (++count == 20) {
      done.set_value();
    } else {
      loop_->RunAfter(milliseconds(1), tick);
    }
  };
  OnLoop([&] { loop_->RunAfter(milliseconds(1), tick); });
  ASSERT_EQ(done.get_future().wait_for(kWait), std::future_status::ready);
}

TEST_P(IoLoopTest, PostFromManyThreadsRunsAllOnLoopThread) {
  constexpr int kThreads = 4, kPerThread = 1000;
  std::atomic<int> ran{0}, off_thread{0};
  std::promise<void> all;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        loop_->Post([&] {
          if (!loop_->InLoopThread()) ++off_thread;
          if (++ran == kThreads * kPerThread) all.set_value();
        });
        // Every so often let the loop fall asleep so wake-ups are exercised.
        if (t == 0 && i % 100 == 0) std::this_thread::sleep_for(milliseconds(2));
      }
    });
  }
  for (auto& th : threads) th.join();
  ASSERT_EQ(all.get_future().wait_for(kWait), std::future_status::ready);
  EXPECT_EQ(off_thread.load(), 0);
  EXPECT_FALSE(loop_->InLoopThread());
}

TEST_P(IoLoopTest, PostWakesASleepingLoop) {
  // No timers, no sockets: the loop blocks with no timeout. Each Post must
  // wake it on its own.
  for (int i = 0; i < 20; ++i) {
    std::this_thread::sleep_for(milliseconds(2));
    OnLoop([] {});
  }
}

TEST_P(IoLoopTest, PostedBeforeStopAreRun) {
  std::atomic<int> ran{0};
  for (int i = 0; i < 100; ++i) loop_->Post([&] { ++ran; });
  loop_->Stop();
  thread_.join();
  EXPECT_EQ(ran.load(), 100);
  loop_.reset();
}

TEST_P(IoLoopTest, DetachWithSendInFlight) {
  uint16_t port = Listen(/*echo=*/false);
  int c = Connect(port);  // never reads: the server's send stays in flight
  TestHandler* h = WaitHandler(0);
  OnLoop([&] { h->Write(Pattern(16 << 20)); });
  // Wait until a send is pending (socket full) for the backend.
  ASSERT_TRUE(WaitFor([&] {
    bool pending = false;
    OnLoop([&] { pending = h->sending(); });
    return pending;
  }));
  OnLoop([&] {
    EXPECT_EQ(loop_->attached_sockets(), 1u);
    h->Detach([fd = h->fd()] { ::close(fd); });
  });
  ASSERT_TRUE(WaitFor([&] { return h->detach_done == 1; }));
  OnLoop([&] { EXPECT_EQ(loop_->attached_sockets(), 0u); });
  // Traffic after detach must not reach the handler.
  (void)!::write(c, "late", 4);
  OnLoop([] {});
  OnLoop([] {});
  EXPECT_EQ(h->detach_done.load(), 1);
  EXPECT_EQ(h->late_callbacks.load(), 0);
  ::close(c);
  Unlisten();
}

TEST_P(IoLoopTest, DetachWithRecvArmedAndInsideCallback) {
  uint16_t port = Listen(/*echo=*/false);
  // First connection: detached while idle (recv armed).
  int c1 = Connect(port);
  TestHandler* h1 = WaitHandler(0);
  OnLoop([&] { h1->Detach([fd = h1->fd()] { ::close(fd); }); });
  // Second: detached from inside OnRecvClosed, with bytes and close racing.
  OnLoop([&] {
    on_new_handler_ = [](TestHandler* h) {
      h->on_closed = [](TestHandler* self) { self->Detach([fd = self->fd()] { ::close(fd); }); };
    };
  });
  int c2 = Connect(port);
  TestHandler* h2 = WaitHandler(1);
  ASSERT_TRUE(WriteAll(c2, "data"));
  ::close(c2);
  ASSERT_TRUE(WaitFor([&] { return h1->detach_done == 1 && h2->detach_done == 1; }));
  (void)!::write(c1, "late", 4);
  OnLoop([] {});
  OnLoop([&] { EXPECT_EQ(loop_->attached_sockets(), 0u); });
  EXPECT_EQ(h1->late_callbacks.load() + h2->late_callbacks.load(), 0);
  EXPECT_EQ(h1->detach_done.load() + h2->detach_done.load(), 2);
  ::close(c1);
  Unlisten();
}

TEST_P(IoLoopTest, AcceptAndClose1000ConnectionsLeaksNoFd) {
  const int fds_before = CountOpenFds();
  std::atomic<int> finished{0};
  on_new_handler_ = [&](TestHandler* h) {
    h->on_closed = [&](TestHandler* self) {
      self->Detach([&, fd = self->fd()] {
        ::close(fd);
        ++finished;
      });
    };
  };
  uint16_t port = Listen(/*echo=*/false);
  for (int i = 0; i < 1000; ++i) ::close(Connect(port));
  ASSERT_TRUE(WaitFor([&] { return finished == 1000; }));
  OnLoop([&] { EXPECT_EQ(loop_->attached_sockets(), 0u); });
  Unlisten();
  EXPECT_EQ(CountOpenFds(), fds_before);
}

TEST_P(IoLoopTest, StopWithLiveListenerSocketAndSendIsClean) {
  // The owner forgot to detach: Stop() must still return, and destroying
  // the loop must not leave the kernel pointing at freed ops (ASan run).
  uint16_t port = Listen(/*echo=*/false);
  int c = Connect(port);
  TestHandler* h = WaitHandler(0);
  OnLoop([&] { h->Write(Pattern(8 << 20)); });
  const int server_fd = h->fd();
  loop_->Stop();
  thread_.join();
  loop_.reset();
  EXPECT_EQ(h->late_callbacks.load(), 0);
  handlers_.clear();
  ::close(server_fd);
  ::close(c);
  ::close(listen_fd_);
}

INSTANTIATE_TEST_SUITE_P(Backends, IoLoopTest, ::testing::Values(IoBackend::kUring, IoBackend::kEpoll),
                         [](const auto& p) { return std::string(IoBackendName(p.param)); });

// ---- io_uring only ----

TEST(UringLoopTest, TinyBufferRingDeliversEveryByte) {
  IoLoop::Options options;
  options.backend = IoBackend::kUring;
  options.recv_buffers = 4;
  options.recv_buffer_size = 4096;
  auto created = IoLoop::Create(options);
  ASSERT_TRUE(created.has_value()) << created.error().ToString();
  std::unique_ptr<IoLoop> loop = std::move(created).value();
  Counter& nobufs = MetricsRegistry::Global().GetCounter("roost_io_uring_recv_nobufs_total", "");
  const uint64_t nobufs_before = nobufs.Value();
  std::thread runner([&] { loop->Run(); });

  constexpr int kClients = 50;
  constexpr size_t kBytes = 256 * 1024;
  uint16_t port = 0;
  int lfd = MakeListener(&port);
  std::map<int, std::unique_ptr<TestHandler>> handlers;  // loop thread only
  loop->Post([&] {
    ASSERT_TRUE(loop->AddListener(lfd, [&](int fd, const SocketAddress&) {
      auto h = std::make_unique<TestHandler>(loop.get(), fd, false);
      EXPECT_TRUE(loop->Attach(fd, h.get()).ok());
      handlers[fd] = std::move(h);
    }).ok());
  });
  std::vector<int> clients;
  for (int i = 0; i < kClients; ++i) clients.push_back(Connect(port));
  std::vector<std::thread> writers;
  for (int i = 0; i < kClients; ++i) {
    writers.emplace_back([&, i] { EXPECT_TRUE(WriteAll(clients[i], Pattern(kBytes, 0))); });
  }
  for (auto& w : writers) w.join();
  auto received_all = [&] {
    std::promise<size_t> sum;
    loop->Post([&] {
      size_t s = 0;
      for (auto& [fd, h] : handlers) s += h->recv_bytes;
      sum.set_value(s);
    });
    return sum.get_future().get() == kClients * kBytes;
  };
  ASSERT_TRUE(WaitFor(received_all));
  // 50 busy sockets and 4 buffers: the ring must have run dry, and every
  // recv it ended must have been re-armed (else bytes would be missing).
  EXPECT_GT(nobufs.Value(), nobufs_before);
  std::promise<void> checked;
  loop->Post([&] {
    EXPECT_EQ(handlers.size(), static_cast<size_t>(kClients));
    const std::string expected = Pattern(kBytes, 0);
    for (auto& [fd, h] : handlers) {
      EXPECT_TRUE(h->received == expected);
      loop->Detach(fd, [fd = fd] { ::close(fd); });
    }
    loop->RemoveListener(lfd, [&] { checked.set_value(); });
  });
  ASSERT_EQ(checked.get_future().wait_for(kWait), std::future_status::ready);
  for (int c : clients) ::close(c);
  ::close(lfd);
  loop->Stop();
  runner.join();
}

TEST(IoLoopCreateTest, AutoPicksABackend) {
  auto loop = IoLoop::Create(IoLoop::Options{});
  ASSERT_TRUE(loop.has_value());
  EXPECT_NE((*loop)->backend(), IoBackend::kAuto);
}

TEST(IoLoopCreateTest, BadBufferOptionsFailForUring) {
  IoLoop::Options options;
  options.backend = IoBackend::kUring;
  options.recv_buffers = 0;
  auto loop = IoLoop::Create(options);
  EXPECT_FALSE(loop.has_value());
}

}  // namespace
}  // namespace roost::net
