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
