#include "profile.h"

namespace roost::bench {
namespace {

struct Entry {
  std::string_view name;
  ProfileFactory factory;
};

constexpr Entry kProfiles[] = {
    {"idle", &MakeIdleProfile},
    {"capability", &MakeCapabilityProfile},
    {"connect", &MakeConnectProfile},
};

}  // namespace

std::unique_ptr<Profile> MakeProfile(std::string_view name, const Options& options) {
  for (const Entry& e : kProfiles) {
    if (e.name == name) return e.factory(options);
  }
  return nullptr;
}

std::vector<std::string> ProfileNames() {
  std::vector<std::string> names;
  for (const Entry& e : kProfiles) names.emplace_back(e.name);
  return names;
}

}  // namespace roost::bench
