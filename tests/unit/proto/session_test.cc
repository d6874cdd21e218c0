// Session base: strand hand-off, exception boundary and lifetime, with a
// minimal protocol whose hooks record what they saw.
#include "proto/common/session.h"

#include <atomic>
#include <memory>
#include <stdexcept>
#include <string>

#include <gtest/gtest.h>

#include "exec/executor.h"
#include "fake_sink.h"

namespace roost::proto {
namespace {

using testing::FakeSink;

std::atomic<int> destroyed{0};

class EchoSession final : public Session {
 public:
  EchoSession(exec::Executor& executor, net::ConnectionHandle handle) : Session(executor, handle, "echo-test") {}
  ~EchoSession() override { destroyed.fetch_add(1); }

  std::atomic<bool> closed_hook{false};

 protected:
  void Greet(const net::PeerInfo& peer) override {
    EXPECT_TRUE(strand().RunningInThisThread());
    handle()->Write("hello " + peer.listener + "\n");
  }
  void HandleFrame(net::Frame frame) override {
    EXPECT_TRUE(strand().RunningInThisThread());
    if (frame.bytes == "throw") throw std::runtime_error("boom");
    handle()->Write(frame.bytes + "\n");
  }
  void Shutdown() override { handle()->Write("bye\n"); }
  void Closed() override { closed_hook = true; }
  std::string InternalErrorReply(std::string_view correlation_id) const override {
    return "internal error " + std::string(correlation_id) + "\n";
  }
};

class SessionTest : public ::testing::Test {
 protected:
  exec::Executor executor_{2};
  std::shared_ptr<FakeSink> sink_ = std::make_shared<FakeSink>();
};

TEST_F(SessionTest, HooksRunOnTheStrandInOrder) {
  auto session = Session::Create<EchoSession>(executor_, sink_);
  net::PeerInfo peer;
  peer.listener = "test";
  session->OnOpen(peer);
  for (int i = 0; i < 100; ++i) session->OnFrame(net::Frame{.bytes = std::to_string(i), .error = std::nullopt});
  session->OnShutdown();
  executor_.Drain();
  std::string expected = "hello test\n";
  for (int i = 0; i < 100; ++i) expected += std::to_string(i) + "\n";
  expected += "bye\n";
  EXPECT_EQ(sink_->TakeOutput(), expected);
  session->OnClose();
  executor_.Drain();
  EXPECT_TRUE(session->closed_hook.load());
}

TEST_F(SessionTest, IdsAreUnique) {
  auto a = Session::Create<EchoSession>(executor_, sink_);
  auto b = Session::Create<EchoSession>(executor_, sink_);
  EXPECT_NE(a->id(), b->id());
  EXPECT_EQ(a->protocol(), "echo-test");
  a->OnClose();
  b->OnClose();
  executor_.Drain();
}

TEST_F(SessionTest, ExceptionIsCaughtRepliedAndCloses) {
  auto session = Session::Create<EchoSession>(executor_, sink_);
  session->OnFrame(net::Frame{.bytes = "throw", .error = std::nullopt});
  session->OnFrame(net::Frame{.bytes = "after", .error = std::nullopt});
  executor_.Drain();
  std::string out = sink_->TakeOutput();
  EXPECT_EQ(out.rfind("internal error ", 0), 0u) << out;
  EXPECT_EQ(out.find("after"), std::string::npos);  // later tasks are skipped
  EXPECT_EQ(sink_->Count("close_after_flush"), 1);
  session->OnClose();
  executor_.Drain();
  EXPECT_TRUE(session->closed_hook.load());  // cleanup still runs
}

TEST_F(SessionTest, KeepsItselfAliveUntilClosedAndDrained) {
  const int before = destroyed.load();
  std::weak_ptr<EchoSession> weak;
  {
    auto session = Session::Create<EchoSession>(executor_, sink_);
    weak = session;
    session->OnFrame(net::Frame{.bytes = "x", .error = std::nullopt});
  }
  executor_.Drain();
  // The connection dropped its reference, but OnClose has not come yet.
  ASSERT_FALSE(weak.expired());
  EXPECT_EQ(destroyed.load(), before);
  weak.lock()->OnClose();
  executor_.Drain();
  EXPECT_TRUE(weak.expired());
  EXPECT_EQ(destroyed.load(), before + 1);
}

TEST_F(SessionTest, CallsAfterCloseAreDropped) {
  auto session = Session::Create<EchoSession>(executor_, sink_);
  session->OnClose();
  session->OnFrame(net::Frame{.bytes = "late", .error = std::nullopt});
  session->OnShutdown();
  executor_.Drain();
  EXPECT_EQ(sink_->TakeOutput(), "");
}

}  // namespace
}  // namespace roost::proto
