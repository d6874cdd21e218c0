// capability: every client connects, then (once all are connected) loops one
// command (--command, default CAPABILITY) for --duration seconds and times
// each round trip. Closed loop by default; with --rate R the clients together
// send R commands per second on a fixed schedule, each starting at a random
// (seeded) phase so they do not fire in lockstep.
#include <fmt/format.h>

#include <random>

#include "imap_client.h"
#include "profile.h"

namespace roost::bench {
namespace {

class CommandClient final : public ImapClient {
 public:
  CommandClient(Worker& worker, std::chrono::nanoseconds interval)
      : ImapClient(worker), interval_(interval) {}

  void Start() override { Connect(); }
  void OnReady() override {
    if (worker().in_window()) Begin();
  }
  void OnMeasureStart() override {
    if (ready()) Begin();
  }
  void OnTimer() override {
    if (ready() && tag_.empty()) Issue();
  }
  void OnResponse(std::string_view line) override {
    std::string_view status;
    if (!tag_.empty() && IsTagged(line, tag_, &status)) {
      if (status == "OK") {
        ++stats().ops;
        stats().latency.Record(ElapsedSinceSend());
      } else {
        stats().NoteError(fmt::format("{} failed: {}", options().command, line));
      }
      tag_.clear();
      ClearDeadline();
      Next();
      return;
    }
    if (line.substr(0, 2) != "* ") stats().NoteError(fmt::format("unexpected line: {}", line));
  }

 private:
  void Begin() {
    if (interval_.count() == 0) return Issue();
    std::uniform_int_distribution<int64_t> phase(0, interval_.count());
    next_ = worker().now() + std::chrono::nanoseconds(phase(worker().rng()));
    ArmTimer(next_);
  }
  void Issue() { tag_ = SendCommand(options().command); }
  void Next() {
    if (interval_.count() == 0) return Issue();
    next_ += interval_;
    if (next_ <= worker().now()) return Issue();
    ArmTimer(next_);
  }

  std::chrono::nanoseconds interval_;
  SteadyTime next_{};
  std::string tag_;
};

}  // namespace

std::unique_ptr<Profile> MakeCapabilityProfile(const Options& options) {
  return std::make_unique<PacedProfile<CommandClient>>(options, /*ramps=*/true, "command");
}

}  // namespace roost::bench
