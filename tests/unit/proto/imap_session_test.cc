// Transcript tests of ImapSession through its HandlerFactory, with a
// FakeSink standing in for the connection and a real Executor.
#include "proto/imap/imap_session.h"

#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "base/metrics.h"
#include "exec/executor.h"
#include "fake_sink.h"
#include "proto/imap/command_table.h"
#include "proto/imap/imap_service.h"

namespace roost::proto::imap {
namespace {

using proto::testing::FakeSink;

int64_t LiveImapSessions() {
  return MetricsRegistry::Global().GetGauge("roost_sessions", "Protocol sessions alive", {{"protocol", "imap"}}).Value();
}

class ImapSessionTest : public ::testing::Test {
 protected:
  void Start(ImapOptions options = {}) {
    factory_ = NewImapHandlerFactory(executor_, std::move(options));
    handler_ = factory_->NewHandler(sink_, peer_);
    handler_->OnOpen(peer_);
    executor_.Drain();
  }

  // Sends one frame and returns what the session wrote in reply.
  std::string Send(std::string bytes) {
    handler_->OnFrame(net::Frame{.bytes = std::move(bytes), .error = std::nullopt});
    executor_.Drain();
    return sink_->TakeOutput();
  }

  std::string SendError(net::FrameError error) {
    handler_->OnFrame(net::Frame{.bytes = {}, .error = std::move(error)});
    executor_.Drain();
    return sink_->TakeOutput();
  }

  void Close() {
    if (!handler_) return;
    handler_->OnClose();
    handler_.reset();
    executor_.Drain();
  }

  void TearDown() override { Close(); }

  exec::Executor executor_{2};  // declared first: outlives the sessions
  std::shared_ptr<FakeSink> sink_ = std::make_shared<FakeSink>();
  net::PeerInfo peer_;
  std::shared_ptr<net::HandlerFactory> factory_;
  std::shared_ptr<net::ConnectionHandler> handler_;
};

TEST_F(ImapSessionTest, FactoryBasics) {
  auto factory = NewImapHandlerFactory(executor_, {});
  EXPECT_EQ(factory->protocol(), "imap");
  auto framer = factory->NewFramer();
  ASSERT_NE(framer, nullptr);
  net::FramerStep step = framer->Step("a1 NOOP\r\n");
  EXPECT_EQ(step.kind, net::FramerStep::Kind::kFrame);
  // Pre-auth limits: an 8 KB+ literal is refused.
  step = framer->Step("a2 LOGIN {9000}\r\n");
  ASSERT_TRUE(step.frame.error.has_value());
  EXPECT_EQ(step.frame.error->kind, net::FrameError::Kind::kLiteralTooLarge);
}

TEST_F(ImapSessionTest, GreetingWithoutTls) {
  Start();
  EXPECT_EQ(sink_->TakeOutput(), "* OK [CAPABILITY IMAP4rev1 LOGINDISABLED] Roost ready.\r\n");
}

TEST_F(ImapSessionTest, GreetingOffersStartTlsWhenConfigured) {
  Start({.server_name = "mail.example", .starttls_available = true});
  EXPECT_EQ(sink_->TakeOutput(), "* OK [CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED] mail.example ready.\r\n");
}

TEST_F(ImapSessionTest, ImplicitTlsDoesNotOfferStartTls) {
  sink_->set_tls_active(true);
  Start({.starttls_available = true});
  EXPECT_EQ(sink_->TakeOutput(), "* OK [CAPABILITY IMAP4rev1 LOGINDISABLED] Roost ready.\r\n");
  EXPECT_EQ(Send("a1 STARTTLS"), "a1 BAD TLS is already active\r\n");
}

TEST_F(ImapSessionTest, CapabilityNoopAndOneWritePerCommand) {
  Start();
  sink_->TakeOutput();
  sink_->ClearEvents();
  EXPECT_EQ(Send("a1 CAPABILITY"), "* CAPABILITY IMAP4rev1 LOGINDISABLED\r\na1 OK CAPABILITY completed\r\n");
  EXPECT_EQ(sink_->events(), (std::vector<std::string>{"write", "frame_done"}));
  EXPECT_EQ(Send("a2 NOOP"), "a2 OK NOOP completed\r\n");
  EXPECT_EQ(sink_->Count("frame_done"), 2);
}

TEST_F(ImapSessionTest, CommandNamesAreCaseInsensitive) {
  Start();
  sink_->TakeOutput();
  EXPECT_EQ(Send("x noop"), "x OK NOOP completed\r\n");
  EXPECT_EQ(Send("y Capability"), "* CAPABILITY IMAP4rev1 LOGINDISABLED\r\ny OK CAPABILITY completed\r\n");
}

TEST_F(ImapSessionTest, UnknownAndUnimplementedCommands) {
  Start();
  sink_->TakeOutput();
  EXPECT_EQ(Send("a1 FROBNICATE"), "a1 BAD Unknown command\r\n");
  EXPECT_EQ(Send("a2 select INBOX"), "a2 BAD Command not implemented\r\n");
  EXPECT_EQ(Send("a3 LOGIN bob secret"), "a3 BAD Command not implemented\r\n");
  EXPECT_EQ(sink_->Count("frame_done"), 3);
}

TEST_F(ImapSessionTest, SyntaxErrors) {
  Start();
  sink_->TakeOutput();
  EXPECT_EQ(Send("a1"), "a1 BAD Missing command\r\n");
  EXPECT_EQ(Send("+x NOOP"), "* BAD Invalid characters in tag\r\n");
  EXPECT_EQ(Send("a2 NOOP extra"), "a2 BAD Unexpected arguments\r\n");
  EXPECT_EQ(Send("a3 CAPABILITY \"x"), "a3 BAD Unexpected arguments\r\n");
  EXPECT_EQ(Send(""), "");  // an empty line is ignored
  EXPECT_EQ(sink_->Count("frame_done"), 5);
}

TEST_F(ImapSessionTest, LogoutSaysByeAndCloses) {
  Start();
  sink_->TakeOutput();
  sink_->ClearEvents();
  EXPECT_EQ(Send("a1 LOGOUT"), "* BYE Logging out\r\na1 OK LOGOUT completed\r\n");
  EXPECT_EQ(sink_->events(), (std::vector<std::string>{"write", "close_after_flush", "frame_done"}));
  // Frames the connection already delivered are ignored.
  EXPECT_EQ(Send("a2 NOOP"), "");
}

TEST_F(ImapSessionTest, StartTlsFlow) {
  Start({.starttls_available = true});
  sink_->TakeOutput();
  sink_->ClearEvents();
  EXPECT_EQ(Send("a1 STARTTLS"), "a1 OK Begin TLS negotiation now\r\n");
  // The OK is written before the handshake starts; credit comes back last.
  EXPECT_EQ(sink_->events(), (std::vector<std::string>{"write", "start_tls", "frame_done"}));
  // Plaintext pipelined before the handshake completes is discarded.
  EXPECT_EQ(Send("a2 CAPABILITY"), "");
  EXPECT_EQ(sink_->Count("frame_done"), 2);
  sink_->set_tls_active(true);
  net::TlsInfo info;
  info.version = "TLSv1.3";
  handler_->OnTlsStarted(Status::Ok(), info);
  executor_.Drain();
  EXPECT_EQ(Send("a3 CAPABILITY"), "* CAPABILITY IMAP4rev1 LOGINDISABLED\r\na3 OK CAPABILITY completed\r\n");
  EXPECT_EQ(Send("a4 STARTTLS"), "a4 BAD TLS is already active\r\n");
  EXPECT_EQ(sink_->Count("start_tls"), 1);
}

TEST_F(ImapSessionTest, StartTlsNotConfigured) {
  Start();
  sink_->TakeOutput();
  EXPECT_EQ(Send("a1 STARTTLS"), "a1 NO TLS is not available\r\n");
  EXPECT_EQ(sink_->Count("start_tls"), 0);
}

TEST_F(ImapSessionTest, FailedHandshakeStopsTheSession) {
  Start({.starttls_available = true});
  sink_->TakeOutput();
  EXPECT_EQ(Send("a1 STARTTLS"), "a1 OK Begin TLS negotiation now\r\n");
  handler_->OnTlsStarted(Status::Unavailable("handshake failed"), net::TlsInfo{});
  executor_.Drain();
  EXPECT_EQ(Send("a2 NOOP"), "");
}

TEST_F(ImapSessionTest, ShutdownSaysBye) {
  Start();
  sink_->TakeOutput();
  EXPECT_EQ(Send("a1 NOOP"), "a1 OK NOOP completed\r\n");
  handler_->OnShutdown();
  executor_.Drain();
  EXPECT_EQ(sink_->TakeOutput(), "* BYE Server shutting down\r\n");
  EXPECT_EQ(sink_->Count("close_after_flush"), 1);
  handler_->OnShutdown();  // a second notice is harmless
  executor_.Drain();
  EXPECT_EQ(sink_->TakeOutput(), "");
  EXPECT_EQ(sink_->Count("close_after_flush"), 1);
}

TEST_F(ImapSessionTest, FramerErrorReplies) {
  Start();
  sink_->TakeOutput();
  using Kind = net::FrameError::Kind;
  EXPECT_EQ(SendError({.kind = Kind::kLineTooLong, .fatal = false, .tag = "a1"}), "a1 BAD Line too long\r\n");
  EXPECT_EQ(SendError({.kind = Kind::kLineTooLong, .fatal = false, .tag = ""}), "* BAD Line too long\r\n");
  EXPECT_EQ(SendError({.kind = Kind::kLiteralTooLarge, .fatal = false, .tag = "a2"}),
            "a2 NO [TOOBIG] Literal too large\r\n");
  EXPECT_EQ(SendError({.kind = Kind::kTooManyLiterals, .fatal = false, .tag = "a3"}), "a3 BAD Too many literals\r\n");
  EXPECT_EQ(sink_->Count("frame_done"), 4);
  EXPECT_EQ(sink_->Count("close_after_flush"), 0);
  EXPECT_EQ(SendError({.kind = Kind::kLiteralTooLarge, .fatal = true, .tag = "a4"}),
            "* BYE [TOOBIG] Literal too large\r\n");
  EXPECT_EQ(sink_->Count("close_after_flush"), 1);
  EXPECT_EQ(Send("a5 NOOP"), "");
}

TEST_F(ImapSessionTest, CommandsAreCounted) {
  Counter& noop = MetricsRegistry::Global().GetCounter("roost_commands_total", "Commands executed",
                                                       {{"protocol", "imap"}, {"command", "NOOP"}});
  Counter& unknown = MetricsRegistry::Global().GetCounter("roost_commands_total", "Commands executed",
                                                          {{"protocol", "imap"}, {"command", "unknown"}});
  uint64_t noop_before = noop.Value(), unknown_before = unknown.Value();
  Start();
  (void)Send("a1 noop");
  (void)Send("a2 NOOP");
  (void)Send("a3 WHAT");
  EXPECT_EQ(noop.Value(), noop_before + 2);
  EXPECT_EQ(unknown.Value(), unknown_before + 1);
}

TEST_F(ImapSessionTest, SessionGaugeReturnsAfterClose) {
  const int64_t before = LiveImapSessions();
  Start();
  EXPECT_EQ(LiveImapSessions(), before + 1);
  (void)Send("a1 NOOP");
  Close();
  EXPECT_EQ(LiveImapSessions(), before);
}

TEST_F(ImapSessionTest, CloseWithWorkInFlightFreesTheSession) {
  const int64_t before = LiveImapSessions();
  Start();
  // Frames, then close, without waiting in between: the session must run
  // or drop them and still be freed once everything has drained.
  for (int i = 0; i < 50; ++i) handler_->OnFrame(net::Frame{.bytes = "a NOOP", .error = std::nullopt});
  handler_->OnClose();
  handler_->OnFrame(net::Frame{.bytes = "late NOOP", .error = std::nullopt});  // refused: closed
  std::weak_ptr<net::ConnectionHandler> weak = handler_;
  handler_.reset();
  executor_.Drain();
  EXPECT_TRUE(weak.expired());
  EXPECT_EQ(LiveImapSessions(), before);
  EXPECT_EQ(sink_->TakeOutput().find("late"), std::string::npos);
}

TEST(CommandTableTest, LookupIsCaseInsensitive) {
  const CommandSpec* spec = FindCommand("starttls");
  ASSERT_NE(spec, nullptr);
  EXPECT_EQ(spec->name, "STARTTLS");
  EXPECT_EQ(spec->states, kNotAuthOnly);
  EXPECT_NE(spec->flags & kBarrier, 0u);
  EXPECT_EQ(FindCommand("NOPE"), nullptr);
  EXPECT_EQ(FindCommand(""), nullptr);
  ASSERT_NE(FindCommand("Fetch"), nullptr);
  EXPECT_EQ(FindCommand("Fetch")->handler, nullptr);
  for (const CommandSpec& s : AllCommands()) {
    EXPECT_EQ(FindCommand(s.name), &s);
    EXPECT_EQ(&AllCommands()[CommandIndex(s)], &s);
  }
}

}  // namespace
}  // namespace roost::proto::imap
