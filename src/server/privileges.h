// Dropping root after the listening sockets are bound.
//
// roostd may start as root to bind ports below 1024 and read the TLS key;
// it then becomes [server].user (and group) for good: supplementary groups
// are replaced by the one group, then setgid, then setuid, and finally a
// setuid(0) must fail, or we refuse to run. Not running as root and asked
// to become someone else is an error, unless we already are that user.
//
// Thread affinity: call on the main thread before any other thread starts
// (set*id calls in glibc do reach every thread, but nothing should run
// with root privileges it does not need, even briefly).
#pragma once

#include <string>

#include "base/result.h"
#include "base/status.h"

namespace roost::server {

// No-op when `user` is empty. `group` empty means the user's primary group.
Status DropPrivileges(const std::string& user, const std::string& group);

// Raises the soft RLIMIT_NOFILE to the hard limit (one fd per connection,
// tens of thousands of IDLE clients). Returns the new soft limit.
Result<unsigned long> RaiseFdLimit();

}  // namespace roost::server
