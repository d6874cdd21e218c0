// The ready file: how tests and scripts learn that roostd is serving and on
// which ports (listeners configured with port 0 get ephemeral ports).
//
// Written once, after every listener is bound and every loop runs, as one
// JSON object:
//   {"pid":123,"backend":"uring","listeners":{"imap":"127.0.0.1:40123","admin":"127.0.0.1:8026"}}
// It goes to PATH.tmp first and is renamed over PATH, so a reader polling
// for PATH never sees half a file.
//
// Thread affinity: plain functions.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "base/status.h"

namespace roost::server {

struct ReadyInfo {
  long pid = 0;
  std::string backend;
  // (name, address) in listener order; names are [A-Za-z0-9._-] (config
  // checks it), addresses are printable socket addresses.
  std::vector<std::pair<std::string, std::string>> listeners;
};

std::string ReadyJson(const ReadyInfo& info);
Status WriteReadyFile(const std::string& path, const ReadyInfo& info);

}  // namespace roost::server
