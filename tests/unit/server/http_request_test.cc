#include "server/http_request.h"

#include <gtest/gtest.h>

#include "base/metrics.h"
#include "server/admin_http.h"

namespace roost::server {
namespace {

// Feeds `input` in pieces of `chunk` bytes, the way Connection does (it
// drops consumed bytes), and collects the frames.
std::vector<net::Frame> FrameAll(std::string_view input, size_t chunk) {
  HttpFramer framer;
  std::vector<net::Frame> frames;
  std::string pending;
  for (size_t pos = 0; pos < input.size(); pos += chunk) {
    pending.append(input.substr(pos, chunk));
    for (;;) {
      net::FramerStep step = framer.Step(pending);
      pending.erase(0, step.consumed);
      if (step.kind == net::FramerStep::Kind::kFrame) frames.push_back(std::move(step.frame));
      if (step.kind == net::FramerStep::Kind::kNeedMore) break;
    }
    EXPECT_TRUE(pending.empty());
  }
  return frames;
}

TEST(HttpFramerTest, CutsHeadsAtTheBlankLineWhateverTheSplit) {
  const std::string input =
      "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n"
      "\r\nGET /health HTTP/1.0\n\n";
  for (size_t chunk = 1; chunk <= input.size(); ++chunk) {
    std::vector<net::Frame> frames = FrameAll(input, chunk);
    ASSERT_EQ(frames.size(), 2u) << "chunk " << chunk;
    EXPECT_EQ(frames[0].bytes, "GET /metrics HTTP/1.1\r\nHost: x");
    EXPECT_FALSE(frames[0].error.has_value());
    EXPECT_EQ(frames[1].bytes, "GET /health HTTP/1.0");
  }
}

TEST(HttpFramerTest, IdleOnlyBetweenHeads) {
  HttpFramer framer;
  EXPECT_TRUE(framer.Idle());
  net::FramerStep step = framer.Step("GET / HT");
  EXPECT_EQ(step.kind, net::FramerStep::Kind::kNeedMore);
  EXPECT_EQ(step.consumed, 8u);
  EXPECT_FALSE(framer.Idle());
  step = framer.Step("TP/1.1\r\n\r\n");
  EXPECT_EQ(step.kind, net::FramerStep::Kind::kFrame);
  EXPECT_TRUE(framer.Idle());
}

TEST(HttpFramerTest, TooLongHeadIsOneFatalErrorThenEverythingIsSwallowed) {
  HttpFramer framer;
  std::string big = "GET /" + std::string(kMaxHeadBytes, 'a');
  net::FramerStep step = framer.Step(big);
  ASSERT_EQ(step.kind, net::FramerStep::Kind::kFrame);
  EXPECT_EQ(step.consumed, kMaxHeadBytes + 1);
  ASSERT_TRUE(step.frame.error.has_value());
  EXPECT_TRUE(step.frame.error->fatal);
  step = framer.Step("GET / HTTP/1.1\r\n\r\n");
  EXPECT_EQ(step.kind, net::FramerStep::Kind::kNeedMore);
  EXPECT_EQ(step.consumed, 18u);
}

TEST(HttpRequestTest, ParsesRequestLine) {
  Result<HttpRequest> r = ParseHttpRequest("GET /metrics?x=1 HTTP/1.0\r\nHost: a\r\nAccept: */*");
  ASSERT_TRUE(r.has_value()) << r.error().message();
  EXPECT_EQ(r->method, "GET");
  EXPECT_EQ(r->path, "/metrics");
  EXPECT_EQ(r->minor_version, 0);
  r = ParseHttpRequest("HEAD http://localhost:8026/health HTTP/1.1");
  ASSERT_TRUE(r.has_value()) << r.error().message();
  EXPECT_EQ(r->method, "HEAD");
  EXPECT_EQ(r->path, "/health");
  EXPECT_EQ(r->minor_version, 1);
}

TEST(HttpRequestTest, RejectsMalformedRequests) {
  for (const char* bad : {"GET /metrics", "GET  /metrics HTTP/1.1", "GET metrics HTTP/1.1", "G(T / HTTP/1.1",
                          "GET / HTTP/1.1\r\nno colon here", "GET / HTTP/1.1\r\nA: b\r\n folded", "GET / FTP/1.0",
                          ""}) {
    Result<HttpRequest> r = ParseHttpRequest(bad);
    ASSERT_FALSE(r.has_value()) << bad;
    EXPECT_EQ(r.error().code(), Status::Code::kInvalidArgument) << bad;
  }
  Result<HttpRequest> r = ParseHttpRequest("GET / HTTP/2.0");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), Status::Code::kNotSupported);
}

class AdminHttpTest : public ::testing::Test {
 protected:
  MetricsRegistry registry_;
  std::shared_ptr<AdminHttpFactory> factory_ = std::make_shared<AdminHttpFactory>(3, registry_);
};

TEST_F(AdminHttpTest, ServesMetricsWithProcessGauges) {
  std::string response = factory_->Respond("GET /metrics HTTP/1.1\r\nHost: x");
  EXPECT_TRUE(response.starts_with("HTTP/1.1 200 OK\r\n")) << response;
  EXPECT_NE(response.find("Content-Type: text/plain; version=0.0.4"), std::string::npos);
  EXPECT_NE(response.find("Connection: close\r\n"), std::string::npos);
  EXPECT_NE(response.find("\nroost_io_loops 3\n"), std::string::npos) << response;
  EXPECT_NE(response.find("\nroost_uptime_seconds "), std::string::npos);
  size_t fds = response.find("\nroost_open_fds ");
  ASSERT_NE(fds, std::string::npos);
  EXPECT_GT(std::stol(response.substr(fds + 16)), 2);  // stdin, stdout, stderr at least
  // Content-Length matches the body.
  size_t body = response.find("\r\n\r\n") + 4;
  size_t length = response.find("Content-Length: ");
  EXPECT_EQ(std::stoul(response.substr(length + 16)), response.size() - body);
}

TEST_F(AdminHttpTest, HealthNotFoundAndMethods) {
  EXPECT_EQ(factory_->Respond("GET /health HTTP/1.0"),
            "HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 3\r\n"
            "Connection: close\r\n\r\nok\n");
  EXPECT_EQ(factory_->Respond("HEAD /health HTTP/1.1"),
            "HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 3\r\n"
            "Connection: close\r\n\r\n");
  EXPECT_TRUE(factory_->Respond("GET /nope HTTP/1.1").starts_with("HTTP/1.1 404 Not Found\r\n"));
  std::string post = factory_->Respond("POST /metrics HTTP/1.1");
  EXPECT_TRUE(post.starts_with("HTTP/1.1 405 Method Not Allowed\r\n"));
  EXPECT_NE(post.find("Allow: GET, HEAD\r\n"), std::string::npos);
  EXPECT_TRUE(factory_->Respond("garbage").starts_with("HTTP/1.1 400 Bad Request\r\n"));
  EXPECT_TRUE(factory_->Respond("GET / HTTP/3.0").starts_with("HTTP/1.1 505 "));
}

TEST(AdminHttpFdTest, CountOpenFdsSeesNewDescriptors) {
  int64_t before = CountOpenFds();
  ASSERT_GT(before, 0);
  FILE* f = fopen("/proc/self/status", "r");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(CountOpenFds(), before + 1);
  fclose(f);
  EXPECT_EQ(CountOpenFds(), before);
}

}  // namespace
}  // namespace roost::server
