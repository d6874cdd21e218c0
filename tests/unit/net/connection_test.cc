// Connection over a real IoLoop on 127.0.0.1, on both backends.
#include "net/connection.h"

#include <malloc.h>
#include <sys/resource.h>

#include <filesystem>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "net/connection_metrics.h"
#include "net/connection_sink.h"
#include "unit/net/test_support.h"

namespace roost::net {
namespace {

using testing::BackendName;
using testing::Client;
using testing::LoopTest;
using testing::RecordingHandler;
using testing::TestFactory;
using testing::WaitUntil;

// Memory per idle connection is what limits how many a server holds; keep
// the per-connection objects small (buffers are released when idle).
static_assert(sizeof(Connection) < 512, "Connection grew; idle connections cost this much each");
static_assert(sizeof(ConnectionSinkImpl) < 256, "ConnectionSinkImpl grew");

std::string Pattern(size_t n, size_t seed) {
  std::string s(n, '\0');
  for (size_t i = 0; i < n; ++i) s[i] = static_cast<char>('a' + (i * 7 + seed) % 26);
  return s;
}

class ConnectionTest : public LoopTest {
 protected:
  ListenerOptions Options() {
    ListenerOptions options;
    options.name = "test";
    return options;
  }
  std::shared_ptr<RecordingHandler> Connect(Client& client, const std::shared_ptr<TestFactory>& factory,
                                            size_t index = 0) {
    EXPECT_TRUE(client.connected());
    auto handler = factory->WaitHandler(index);
    EXPECT_NE(handler, nullptr);
    if (handler) {
      EXPECT_TRUE(handler->WaitFor([](RecordingHandler& h) { return h.opened_; }));
    }
    return handler;
  }
  size_t Frames(RecordingHandler& h) {
    return h.Read([](RecordingHandler& r) { return r.frames_.size(); });
  }
  int Closes(RecordingHandler& h) {
    return h.Read([](RecordingHandler& r) { return r.closes_; });
  }
};

TEST_P(ConnectionTest, EchoRepliesInOrderFromAnotherThread) {
  auto factory = std::make_shared<TestFactory>(worker_.get());
  Listen(Options(), factory);
  Client client(address_);
  auto handler = Connect(client, factory);
  ASSERT_NE(handler, nullptr);
  PeerInfo peer = handler->Read([](RecordingHandler& h) { return h.open_peer_; });
  EXPECT_EQ(peer.remote.Host(), "127.0.0.1");
  EXPECT_EQ(peer.local.Port(), address_.Port());
  EXPECT_EQ(peer.listener, "test");
  std::string batch;
  for (int i = 0; i < 100; ++i) batch += "line " + std::to_string(i) + "\r\n";
  ASSERT_TRUE(client.Send(batch));  // pipelined, with pipeline depth 1
  for (int i = 0; i < 100; ++i) ASSERT_EQ(client.ReadLine(), "echo: line " + std::to_string(i));
  EXPECT_EQ(Frames(*handler), 100u);
}

TEST_P(ConnectionTest, PipelineCreditDeliversOneFrameAtATime) {
  auto factory = std::make_shared<TestFactory>();  // no worker: we return credit
  Listen(Options(), factory);
  Client client(address_);
  auto handler = Connect(client, factory);
  ASSERT_NE(handler, nullptr);
  std::string batch;
  for (int i = 0; i < 10; ++i) batch += "cmd" + std::to_string(i) + "\r\n";
  ASSERT_TRUE(client.Send(batch));
  for (size_t i = 1; i <= 10; ++i) {
    ASSERT_TRUE(handler->WaitFor([&](RecordingHandler& h) { return h.frames_.size() >= i; }));
    loop_->RunSync([] {});  // the IO thread is idle: no frame beyond the credit
    ASSERT_EQ(Frames(*handler), i);
    EXPECT_EQ(handler->Read([&](RecordingHandler& h) { return h.frames_[i - 1]; }), "cmd" + std::to_string(i - 1));
    handler->handle()->FrameDone();
  }
}

TEST_P(ConnectionTest, SetAuthenticatedRaisesPipelineDepth) {
  auto factory = std::make_shared<TestFactory>();
  ListenerOptions options = Options();
  options.connection.limits.pipeline_post_auth = 4;
  Listen(options, factory);
  Client client(address_);
  auto handler = Connect(client, factory);
  ASSERT_NE(handler, nullptr);
  ASSERT_TRUE(client.Send("login\r\na\r\nb\r\nc\r\nd\r\ne\r\n"));
  ASSERT_TRUE(handler->WaitFor([](RecordingHandler& h) { return h.frames_.size() == 1; }));
  handler->handle()->SetAuthenticated();
  handler->handle()->FrameDone();
  ASSERT_TRUE(handler->WaitFor([](RecordingHandler& h) { return h.frames_.size() >= 5; }));
  loop_->RunSync([] {});
  EXPECT_EQ(Frames(*handler), 5u);  // four outstanding after login's credit came back
  handler->handle()->FrameDone();
  ASSERT_TRUE(handler->WaitFor([](RecordingHandler& h) { return h.frames_.size() == 6; }));
}

TEST_P(ConnectionTest, ContinuationIsSentBeforeTheFrame) {
  auto factory = std::make_shared<TestFactory>(worker_.get());
  Listen(Options(), factory);
  Client client(address_);
  ASSERT_NE(Connect(client, factory), nullptr);
  ASSERT_TRUE(client.Send("CONT\r\n"));
  EXPECT_EQ(client.ReadLine(), "+ go");
  EXPECT_EQ(client.ReadLine(), "echo: CONT");
}

TEST_P(ConnectionTest, SoftLimitThenOnWritableOnce) {
  auto factory = std::make_shared<TestFactory>();
  ListenerOptions options = Options();
  options.connection.limits.output_soft = 64 * 1024;
  options.connection.limits.output_hard = 64 * 1024 * 1024;
  Listen(options, factory);
  Client client(address_, /*rcvbuf=*/8192);
  auto handler = Connect(client, factory);
  ASSERT_NE(handler, nullptr);
  const ConnectionHandle& handle = handler->handle();
  // 16 MB: far more than the kernel buffers between us and a client with a
  // tiny receive buffer can hold (server sndbuf tops out at tcp_wmem's 4 MB).
  constexpr size_t kChunk = 64 * 1024;
  constexpr size_t kChunks = 256;
  for (size_t i = 0; i < kChunks; ++i) handle->Write(Pattern(kChunk, i));
  EXPECT_TRUE(handle->OverSoftLimit());
  EXPECT_GT(handle->QueuedBytes(), 8u * 1024 * 1024);
  handle->RequestWritable();
  loop_->RunSync([] {});
  EXPECT_EQ(handler->Read([](RecordingHandler& h) { return h.writable_; }), 0);
  for (size_t i = 0; i < kChunks; ++i) ASSERT_EQ(client.ReadExact(kChunk), Pattern(kChunk, i)) << i;
  ASSERT_TRUE(handler->WaitFor([](RecordingHandler& h) { return h.writable_ >= 1; }));
  ASSERT_TRUE(WaitUntil([&] { return handle->QueuedBytes() == 0; }));
  loop_->RunSync([] {});
  EXPECT_EQ(handler->Read([](RecordingHandler& h) { return h.writable_; }), 1);
  EXPECT_FALSE(handle->OverSoftLimit());
}

TEST_P(ConnectionTest, HardLimitAbortsOnce) {
  auto factory = std::make_shared<TestFactory>();
  ListenerOptions options = Options();
  options.connection.limits.output_soft = 64 * 1024;
  options.connection.limits.output_hard = 1024 * 1024;
  Listen(options, factory);
  Client client(address_, /*rcvbuf=*/8192);
  auto handler = Connect(client, factory);
  ASSERT_NE(handler, nullptr);
  for (size_t i = 0; i < 256; ++i) handler->handle()->Write(Pattern(64 * 1024, i));
  ASSERT_TRUE(handler->WaitFor([](RecordingHandler& h) { return h.closes_ >= 1; }));
  ASSERT_TRUE(WaitUntil([&] { return manager_->size() == 0; }));
  handler->handle()->Write("after close");  // harmless no-op
  handler->handle()->Abort();
  loop_->RunSync([] {});
  EXPECT_EQ(Closes(*handler), 1);
  EXPECT_EQ(handler->handle()->QueuedBytes(), 0u);
  EXPECT_TRUE(client.WaitClosed());
}

TEST_P(ConnectionTest, CloseAfterFlushDeliversEverythingQueued) {
  auto factory = std::make_shared<TestFactory>();
  Listen(Options(), factory);
  Client client(address_);
  auto handler = Connect(client, factory);
  ASSERT_NE(handler, nullptr);
  std::string expected;
  for (size_t i = 0; i < 64; ++i) {
    std::string chunk = Pattern(16 * 1024 + i, i);
    expected += chunk;
    handler->handle()->Write(std::move(chunk));
  }
  handler->handle()->Write("bye\r\n");
  expected += "bye\r\n";
  handler->handle()->CloseAfterFlush();
  bool eof = false;
  std::string got = client.ReadAll(&eof);
  EXPECT_TRUE(eof);
  EXPECT_EQ(got.size(), expected.size());
  EXPECT_TRUE(got == expected);
  ASSERT_TRUE(handler->WaitFor([](RecordingHandler& h) { return h.closes_ == 1; }));
}

TEST_P(ConnectionTest, CloseAfterFlushToAPeerThatDoesNotReadIsBounded) {
  auto factory = std::make_shared<TestFactory>();
  ListenerOptions options = Options();
  options.connection.limits.output_hard = 64 * 1024 * 1024;
  options.connection.handshake_timeout = std::chrono::milliseconds(30);
  Listen(options, factory);
  Client client(address_, /*rcvbuf=*/8192);
  auto handler = Connect(client, factory);
  ASSERT_NE(handler, nullptr);
  for (size_t i = 0; i < 256; ++i) handler->handle()->Write(Pattern(64 * 1024, i));
  handler->handle()->CloseAfterFlush();
  ASSERT_TRUE(handler->WaitFor([](RecordingHandler& h) { return h.closes_ == 1; }));
  ASSERT_TRUE(WaitUntil([&] { return manager_->size() == 0; }));
  EXPECT_EQ(handler->handle()->QueuedBytes(), 0u);
}

TEST_P(ConnectionTest, FatalFrameErrorClosesAfterTheReply) {
  auto factory = std::make_shared<TestFactory>(worker_.get());
  Listen(Options(), factory);
  Client client(address_);
  auto handler = Connect(client, factory);
  ASSERT_NE(handler, nullptr);
  // Pre-auth max_line is 8 KB; this line never ends.
  ASSERT_TRUE(client.Send(std::string(12 * 1024, 'x')));
  EXPECT_EQ(client.ReadLine(), "echo: ERROR:LineTooLong");
  EXPECT_TRUE(client.WaitClosed());
  ASSERT_TRUE(handler->WaitFor([](RecordingHandler& h) { return h.closes_ == 1; }));
  EXPECT_EQ(Frames(*handler), 1u);
}

TEST_P(ConnectionTest, PeerCloseCallsOnCloseOnceAndKeepsMetrics) {
  const ConnectionMetrics& metrics = ConnectionMetricsFor("test");
  int64_t open_before = metrics.open.Value();
  uint64_t total_before = metrics.total.Value();
  uint64_t received_before = metrics.bytes_received.Value();
  uint64_t sent_before = metrics.bytes_sent.Value();
  auto factory = std::make_shared<TestFactory>(worker_.get());
  Listen(Options(), factory);
  auto client = std::make_unique<Client>(address_);
  auto handler = Connect(*client, factory);
  ASSERT_NE(handler, nullptr);
  EXPECT_EQ(manager_->size(), 1u);
  EXPECT_EQ(metrics.open.Value(), open_before + 1);
  EXPECT_EQ(metrics.total.Value(), total_before + 1);
  ASSERT_TRUE(client->Send("ping\r\n"));
  ASSERT_EQ(client->ReadLine(), "echo: ping");
  EXPECT_EQ(metrics.bytes_received.Value(), received_before + 6);
  // Counted when the send completes, which may be just after the client read.
  EXPECT_TRUE(WaitUntil([&] { return metrics.bytes_sent.Value() == sent_before + 12; }))
      << metrics.bytes_sent.Value() - sent_before;
  client.reset();
  ASSERT_TRUE(WaitUntil([&] { return manager_->size() == 0; }));
  EXPECT_EQ(Closes(*handler), 1);
  EXPECT_EQ(metrics.open.Value(), open_before);
  handler->handle()->Write("late");  // the session may still write: no-op
  handler->handle()->FrameDone();
  loop_->RunSync([] {});
  EXPECT_EQ(Closes(*handler), 1);
}

// A client pipelining far beyond its credit: input stops being read once
// unframed bytes pass max_line (+ slack) and resumes as credit returns,
// with every frame delivered in order.
TEST_P(ConnectionTest, InputPausesWithoutCreditAndResumes) {
  auto factory = std::make_shared<TestFactory>();
  Listen(Options(), factory);
  Client client(address_);
  auto handler = Connect(client, factory);
  ASSERT_NE(handler, nullptr);
  constexpr size_t kLines = 3000;  // ~300 KB, many times max_line (8 KB)
  std::string batch;
  for (size_t i = 0; i < kLines; ++i) batch += fmt::format("{:0>96}\r\n", i);
  std::thread sender([&] { EXPECT_TRUE(client.Send(batch)); });
  for (size_t i = 1; i <= kLines; ++i) {
    ASSERT_TRUE(handler->WaitFor([&](RecordingHandler& h) { return h.frames_.size() >= i; })) << i;
    handler->handle()->FrameDone();
  }
  sender.join();
  loop_->RunSync([] {});
  std::vector<std::string> frames = handler->Read([](RecordingHandler& h) { return h.frames_; });
  ASSERT_EQ(frames.size(), kLines);
  for (size_t i = 0; i < kLines; ++i) ASSERT_EQ(frames[i], fmt::format("{:0>96}", i));
}

TEST_P(ConnectionTest, DrainTellsOpenSessions) {
  auto factory = std::make_shared<TestFactory>();
  Listen(Options(), factory);
  Client a(address_);
  Client b(address_);
  auto ha = Connect(a, factory, 0);
  auto hb = Connect(b, factory, 1);
  ASSERT_TRUE(ha && hb);
  loop_->RunSync([&] { manager_->Drain(); });
  EXPECT_EQ(ha->Read([](RecordingHandler& h) { return h.shutdowns_; }), 1);
  EXPECT_EQ(hb->Read([](RecordingHandler& h) { return h.shutdowns_; }), 1);
  loop_->RunSync([&] { manager_->AbortAll(); });
  EXPECT_TRUE(a.WaitClosed());
  EXPECT_TRUE(b.WaitClosed());
  ASSERT_TRUE(WaitUntil([&] { return manager_->size() == 0; }));
  EXPECT_EQ(Closes(*ha), 1);
  EXPECT_EQ(Closes(*hb), 1);
}

size_t OpenFds() {
  size_t n = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator("/proc/self/fd")) ++n;
  return n;
}

TEST_P(ConnectionTest, ThousandsOfConnectionsDroppedAtOnce) {
  rlimit limit{};
  ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &limit), 0);
  limit.rlim_cur = limit.rlim_max;
  ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &limit), 0);
  constexpr size_t kConnections = 2000;
  ASSERT_GT(limit.rlim_cur, 2 * kConnections + 100);

  auto factory = std::make_shared<TestFactory>();
  Listen(Options(), factory);
  size_t baseline = OpenFds();
  std::vector<std::unique_ptr<Client>> clients;
  clients.reserve(kConnections);
  factory->Reserve(kConnections);
  size_t heap_before = mallinfo2().uordblks;
  for (size_t i = 0; i < kConnections; ++i) {
    clients.push_back(std::make_unique<Client>(address_));
    ASSERT_TRUE(clients.back()->connected()) << i;
  }
  ASSERT_TRUE(WaitUntil([&] { return manager_->size() == kConnections; })) << manager_->size();
  ASSERT_TRUE(WaitUntil([&] { return factory->handlers().size() == kConnections; }));
  for (const auto& handler : factory->handlers()) {
    ASSERT_TRUE(handler->WaitFor([](RecordingHandler& h) { return h.opened_; }));
  }
  loop_->RunSync([] {});
  // Heap held per idle connection, server side plus the test's own client
  // and recording handler (~1 KB of that, two PeerInfo copies): far below
  // the 16 KB budget. Kernel socket memory is not heap and not counted.
  size_t heap_per_connection = (mallinfo2().uordblks - heap_before) / kConnections;
  EXPECT_LT(heap_per_connection, 4096u);
  RecordProperty("heap_bytes_per_idle_connection", static_cast<int>(heap_per_connection));
  clients.clear();
  ASSERT_TRUE(WaitUntil([&] { return manager_->size() == 0; })) << manager_->size();
  for (const auto& handler : factory->handlers()) ASSERT_EQ(Closes(*handler), 1);
  EXPECT_EQ(OpenFds(), baseline);
}

INSTANTIATE_TEST_SUITE_P(Backends, ConnectionTest, ::testing::Values(IoBackend::kUring, IoBackend::kEpoll),
                         BackendName);

}  // namespace
}  // namespace roost::net
