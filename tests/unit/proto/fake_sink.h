// FakeSink: a net::ConnectionSink for protocol tests. Records every call
// in order, thread-safely (sessions call it from executor workers), and
// lets the test read and clear the output.
#pragma once

#include <atomic>
#include <mutex>
#include <string>
#include <vector>

#include "net/protocol.h"

namespace roost::proto::testing {

class FakeSink final : public net::ConnectionSink {
 public:
  void Write(std::string data) override {
    std::lock_guard lock(mu_);
    output_ += data;
    events_.push_back("write");
  }
  void CloseAfterFlush() override { Record("close_after_flush"); }
  void Abort() override { Record("abort"); }
  void StartTls() override { Record("start_tls"); }
  void SetAuthenticated() override { Record("set_authenticated"); }
  void FrameDone() override { Record("frame_done"); }
  void RequestWritable() override { Record("request_writable"); }
  size_t QueuedBytes() const override { return 0; }
  bool OverSoftLimit() const override { return false; }
  bool TlsActive() const override { return tls_active_.load(); }
  uint64_t id() const override { return 1; }

  void set_tls_active(bool active) { tls_active_ = active; }

  // Output written since the last call.
  std::string TakeOutput() {
    std::lock_guard lock(mu_);
    std::string out;
    out.swap(output_);
    return out;
  }
  // Every call so far, in order ("write", "start_tls", "frame_done"...).
  std::vector<std::string> events() const {
    std::lock_guard lock(mu_);
    return events_;
  }
  int Count(const std::string& event) const {
    std::lock_guard lock(mu_);
    int n = 0;
    for (const auto& e : events_) n += e == event;
    return n;
  }
  void ClearEvents() {
    std::lock_guard lock(mu_);
    events_.clear();
  }

 private:
  void Record(const char* event) {
    std::lock_guard lock(mu_);
    events_.push_back(event);
  }

  mutable std::mutex mu_;
  std::string output_;               // GUARDED_BY(mu_)
  std::vector<std::string> events_;  // GUARDED_BY(mu_)
  std::atomic<bool> tls_active_{false};
};

}  // namespace roost::proto::testing
