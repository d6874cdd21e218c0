// connect: each client repeats connect, read greeting (after TLS, if asked),
// LOGOUT, wait for the tagged OK, close, for --duration seconds. One op is
// one full cycle, timed from connect() to the LOGOUT completion. With --rate
// R the clients together start R cycles per second.
#include <fmt/format.h>

#include "imap_client.h"
#include "profile.h"

namespace roost::bench {
namespace {

class ConnectClient final : public ImapClient {
 public:
  ConnectClient(Worker& worker, std::chrono::nanoseconds interval)
      : ImapClient(worker), interval_(interval) {}

  void Start() override { Cycle(); }
  void OnTimer() override { Cycle(); }
  void OnReady() override {
    saw_bye_ = false;
    tag_ = SendCommand("LOGOUT");
  }
  void OnResponse(std::string_view line) override {
    std::string_view status;
    if (IsTagged(line, tag_, &status)) {
      // RFC 3501 §6.1.3: BYE must precede the tagged OK.
      if (status == "OK" && saw_bye_) {
        ++stats().ops;
        stats().latency.Record(static_cast<uint64_t>(
            std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() -
                                                                 cycle_start_)
                .count()));
      } else {
        stats().NoteError(fmt::format("LOGOUT: {}", line));
      }
      CloseConnection();
      return Next();
    }
    if (line.substr(0, 6) == "* BYE ") {
      saw_bye_ = true;
    } else {
      stats().NoteError(fmt::format("unexpected line: {}", line));
    }
  }
  void OnConnectFailed(std::string_view why) override {
    ImapClient::OnConnectFailed(why);
    Next();
  }
  void OnConnectionLost(std::string_view why) override {
    ImapClient::OnConnectionLost(why);
    Next();
  }
  void OnCommandTimeout() override {
    ImapClient::OnCommandTimeout();
    Next();
  }

 private:
  void Cycle() {
    cycle_start_ = std::chrono::steady_clock::now();
    next_ = worker().now();
    Connect();
  }
  void Next() {
    if (interval_.count() == 0) return Cycle();
    SteadyTime at = next_ + interval_;
    ArmTimer(at < worker().now() ? worker().now() : at);
  }

  std::chrono::nanoseconds interval_;
  SteadyTime cycle_start_{};
  SteadyTime next_{};
  std::string tag_;
  bool saw_bye_ = false;
};

}  // namespace

std::unique_ptr<Profile> MakeConnectProfile(const Options& options) {
  return std::make_unique<PacedProfile<ConnectClient>>(options, /*ramps=*/false, "cycle");
}

}  // namespace roost::bench
