// idle: open --clients connections (paced by --rate, bounded by
// --connect-concurrency), read each greeting, then hold them silent for
// --duration seconds. With --probe-rate R a separate probe connection sends
// CAPABILITY R times a second while the others idle, measuring how latency
// for an active user holds up under many idle ones.
#include <fmt/format.h>

#include "imap_client.h"
#include "profile.h"

namespace roost::bench {
namespace {

class IdleClient final : public ImapClient {
 public:
  using ImapClient::ImapClient;
  void Start() override { Connect(); }
  void OnReady() override {}
  void OnResponse(std::string_view line) override {
    // Anything unsolicited (e.g. "* BYE Autologout") means the server did
    // not let the connection idle.
    stats().NoteError(fmt::format("unexpected line on idle connection: {}", line));
  }
};

class ProbeClient final : public ImapClient {
 public:
  ProbeClient(Worker& worker, double rate)
      : ImapClient(worker),
        interval_(std::chrono::duration_cast<std::chrono::nanoseconds>(
            std::chrono::duration<double>(1.0 / rate))) {}

  bool counts_as_client() const override { return false; }
  void Start() override { Connect(); }
  void OnReady() override {}
  void OnMeasureStart() override {
    next_ = worker().now();
    ArmTimer(next_);
  }
  void OnTimer() override {
    if (!ready() || !tag_.empty()) return ScheduleNext();
    tag_ = SendCommand("CAPABILITY");
  }
  void OnResponse(std::string_view line) override {
    std::string_view status;
    if (tag_.empty() || !IsTagged(line, tag_, &status)) return;  // untagged CAPABILITY
    if (status == "OK") {
      ++stats().probe_ops;
      stats().probe_latency.Record(ElapsedSinceSend());
    } else {
      ++stats().probe_errors;
    }
    tag_.clear();
    ClearDeadline();
    ScheduleNext();
  }
  void OnCommandTimeout() override {
    ++stats().probe_errors;
    tag_.clear();
    ClearDeadline();
    ScheduleNext();
  }

 private:
  void ScheduleNext() {
    // Fixed schedule: a slow reply delays the next probe but does not shift
    // the ones after it.
    next_ += interval_;
    if (next_ < worker().now()) next_ = worker().now();
    ArmTimer(next_);
  }

  std::chrono::nanoseconds interval_;
  SteadyTime next_{};
  std::string tag_;
};

class IdleProfile final : public Profile {
 public:
  explicit IdleProfile(const Options& options) : options_(options) {}
  bool ramps() const override { return true; }
  std::string_view op_name() const override { return "probe"; }
  std::vector<std::unique_ptr<Client>> MakeClients(Worker& worker, int count) override {
    std::vector<std::unique_ptr<Client>> clients;
    for (int i = 0; i < count; ++i) clients.push_back(std::make_unique<IdleClient>(worker));
    if (worker.index() == 0 && options_.probe_rate > 0) {
      clients.push_back(std::make_unique<ProbeClient>(worker, options_.probe_rate));
    }
    return clients;
  }

 private:
  const Options& options_;
};

}  // namespace

std::unique_ptr<Profile> MakeIdleProfile(const Options& options) {
  return std::make_unique<IdleProfile>(options);
}

}  // namespace roost::bench
