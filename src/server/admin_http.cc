#include "server/admin_http.h"

#include <dirent.h>

#include <fmt/format.h>

#include "server/http_request.h"

namespace roost::server {
namespace {

std::string_view Reason(int status) {
  switch (status) {
    case 200: return "OK";
    case 400: return "Bad Request";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 431: return "Request Header Fields Too Large";
    case 505: return "HTTP Version Not Supported";
    default: return "Error";
  }
}

constexpr std::string_view kTextPlain = "text/plain; charset=utf-8";
constexpr std::string_view kPrometheus = "text/plain; version=0.0.4; charset=utf-8";

// Answers one request and closes: no keep-alive, so no state between
// requests and nothing for an idle scraper to hold open.
class AdminHandler final : public net::ConnectionHandler {
 public:
  AdminHandler(std::shared_ptr<AdminHttpFactory> factory, net::ConnectionHandle handle)
      : factory_(std::move(factory)), handle_(std::move(handle)) {}

  void OnOpen(const net::PeerInfo&) override {}
  void OnFrame(net::Frame frame) override {
    if (answered_ || !handle_) return;
    answered_ = true;
    if (frame.error) {
      handle_->Write(HttpResponse(431, kTextPlain, "request head too large\n", false));
    } else {
      handle_->Write(factory_->Respond(frame.bytes));
    }
    handle_->CloseAfterFlush();
  }
  void OnWritable() override {}
  void OnTlsStarted(const Status&, const net::TlsInfo&) override {}
  void OnShutdown() override {
    if (handle_ && !answered_) handle_->CloseAfterFlush();
  }
  void OnClose() override { handle_.reset(); }

 private:
  std::shared_ptr<AdminHttpFactory> factory_;
  net::ConnectionHandle handle_;
  bool answered_ = false;
};

}  // namespace

std::string HttpResponse(int status, std::string_view content_type, std::string_view body, bool head_only) {
  std::string out = fmt::format(
      "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nConnection: close\r\n", status,
      Reason(status), content_type, body.size());
  if (status == 405) out += "Allow: GET, HEAD\r\n";
  out += "\r\n";
  if (!head_only) out.append(body);
  return out;
}

int64_t CountOpenFds() {
  DIR* dir = opendir("/proc/self/fd");
  if (dir == nullptr) return -1;
  int64_t count = 0;
  while (const dirent* entry = readdir(dir)) {
    if (entry->d_name[0] != '.') ++count;
  }
  closedir(dir);
  return count - 1;  // the directory's own descriptor
}

AdminHttpFactory::AdminHttpFactory(unsigned io_loops, MetricsRegistry& registry)
    : registry_(registry),
      start_(std::chrono::steady_clock::now()),
      uptime_(registry.GetGauge("roost_uptime_seconds", "Seconds since roostd started.")),
      io_loops_(registry.GetGauge("roost_io_loops", "IO threads (event loops) running.")),
      open_fds_(registry.GetGauge("roost_open_fds", "File descriptors open in the process.")) {
  io_loops_.Set(io_loops);
}

std::unique_ptr<net::Framer> AdminHttpFactory::NewFramer() { return std::make_unique<HttpFramer>(); }

std::shared_ptr<net::ConnectionHandler> AdminHttpFactory::NewHandler(net::ConnectionHandle handle,
                                                                     const net::PeerInfo&) {
  return std::make_shared<AdminHandler>(shared_from_this(), std::move(handle));
}

void AdminHttpFactory::RefreshGauges() {
  auto up = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - start_);
  uptime_.Set(up.count());
  open_fds_.Set(CountOpenFds());
}

std::string AdminHttpFactory::Respond(std::string_view head) {
  Result<HttpRequest> parsed = ParseHttpRequest(head);
  if (!parsed.has_value()) {
    bool version = parsed.error().code() == Status::Code::kNotSupported;
    std::string body = fmt::format("{}\n", parsed.error().message());
    return HttpResponse(version ? 505 : 400, kTextPlain, body, false);
  }
  const HttpRequest& request = *parsed;
  const bool head_only = request.method == "HEAD";
  if (request.method != "GET" && !head_only) {
    return HttpResponse(405, kTextPlain, "only GET and HEAD\n", false);
  }
  if (request.path == "/metrics") {
    RefreshGauges();
    return HttpResponse(200, kPrometheus, registry_.RenderPrometheus(), head_only);
  }
  if (request.path == "/health") return HttpResponse(200, kTextPlain, "ok\n", head_only);
  return HttpResponse(404, kTextPlain, "not found\n", head_only);
}

}  // namespace roost::server
