// Signal handling for roostd: no async handlers, one waiting thread.
//
// BlockServerSignals() blocks SIGTERM, SIGINT, SIGHUP and SIGPIPE in the
// calling thread; called first thing in main(), before any thread exists,
// every thread created later inherits the mask, so these signals can only
// be taken synchronously by WaitForSignal() on the main thread (no
// async-signal-safety worries, no EINTR in IO loops). SIGPIPE stays blocked
// for good: a write to a closed socket then fails with EPIPE instead of
// killing the process.
//
// Thread affinity: BlockServerSignals on the main thread before any other
// thread starts; WaitForSignal on the main thread only.
#pragma once

#include "base/status.h"

namespace roost::server {

enum class ServerSignal {
  kShutdown,  // SIGTERM or SIGINT: drain and exit
  kReload,    // SIGHUP: re-read the configuration
};

Status BlockServerSignals();

// Blocks until SIGTERM, SIGINT or SIGHUP arrives.
ServerSignal WaitForSignal();

}  // namespace roost::server
