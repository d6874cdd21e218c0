// Profile: one kind of load roost-bench can generate (idle, capability,
// connect; later mix, login, idle-push, bigfolder, pop3, lmtp, append).
//
// A profile is a factory of Clients plus two facts main() needs: whether the
// measured window waits for every client's first connection (a "ramp"), and
// what one op means in the report. Each profile lives in its own file under
// profiles/ and is listed once in profile.cc's table.
//
// Thread affinity: MakeClients is called on the main thread before the
// workers start; the clients it returns then belong to their worker.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "client.h"
#include "worker.h"

namespace roost::bench {

class Profile {
 public:
  virtual ~Profile() = default;
  // True: the window opens once every client has connected (or failed).
  virtual bool ramps() const = 0;
  // What one op is, for the report ("command", "cycle").
  virtual std::string_view op_name() const = 0;
  // `count` clients for `worker` (index worker.index() of options.threads).
  virtual std::vector<std::unique_ptr<Client>> MakeClients(Worker& worker, int count) = 0;
};

// A closed-loop profile whose clients each repeat one operation: `rate`
// ops/s over all clients becomes a pause per client (0 = as fast as the
// server answers), and MakeClients builds `count` ClientT(worker, pause).
template <typename ClientT>
class PacedProfile : public Profile {
 public:
  PacedProfile(const Options& options, bool ramps, std::string_view op_name)
      : options_(options), ramps_(ramps), op_name_(op_name) {}
  bool ramps() const override { return ramps_; }
  std::string_view op_name() const override { return op_name_; }
  std::vector<std::unique_ptr<Client>> MakeClients(Worker& worker, int count) override {
    std::chrono::nanoseconds pause{0};
    if (options_.rate > 0) {
      pause = std::chrono::duration_cast<std::chrono::nanoseconds>(
          std::chrono::duration<double>(options_.clients / options_.rate));
    }
    std::vector<std::unique_ptr<Client>> clients;
    for (int i = 0; i < count; ++i) clients.push_back(std::make_unique<ClientT>(worker, pause));
    return clients;
  }

 private:
  const Options& options_;
  bool ramps_;
  std::string_view op_name_;
};

using ProfileFactory = std::unique_ptr<Profile> (*)(const Options& options);

// The profile named `name`, or nullptr.
std::unique_ptr<Profile> MakeProfile(std::string_view name, const Options& options);
// All profile names, for --help and validation.
std::vector<std::string> ProfileNames();

// One factory per file in profiles/.
std::unique_ptr<Profile> MakeIdleProfile(const Options& options);
std::unique_ptr<Profile> MakeCapabilityProfile(const Options& options);
std::unique_ptr<Profile> MakeConnectProfile(const Options& options);

}  // namespace roost::bench
