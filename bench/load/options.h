// Options and Stats: what a roost-bench run is asked to do and what each
// worker thread measured.
//
// Options is filled once by main() from the command line and then read-only,
// shared by all workers. Stats is owned by one worker while it runs and merged
// by main() after join.
//
// Thread affinity: Options is immutable after parsing (thread-safe to read);
// Stats belongs to one thread at a time.
#pragma once

#include <cstdint>
#include <string>

#include "histogram.h"

namespace roost::bench {

enum class TlsMode { kNone, kImplicit, kStartTls };

struct Options {
  std::string host = "127.0.0.1";
  uint16_t port = 143;
  std::string profile = "capability";
  TlsMode tls = TlsMode::kNone;
  int clients = 10;
  double duration_s = 10;
  // Per-profile meaning (see --help): idle = new connections per second
  // during the ramp, capability = commands per second over all clients,
  // connect = connection cycles per second over all clients. 0 = unlimited.
  double rate = 0;
  double probe_rate = 0;          // idle: CAPABILITY probes per second
  std::string command = "CAPABILITY";
  int connect_concurrency = 256;  // in-flight connects over all threads
  double timeout_s = 10;          // connect+greeting, and per command
  uint64_t seed = 1;
  int threads = 1;
  std::string json_path;
};

struct Stats {
  uint64_t connect_attempts = 0;
  uint64_t established = 0;      // reached the profile's ready state
  uint64_t connect_failures = 0; // refused, reset, TLS or greeting failure, timeout
  uint64_t errors = 0;           // unexpected reply, close or timeout once ready
  uint64_t ops = 0;              // completed commands or cycles
  uint64_t held_at_end = 0;      // connections still open at the deadline
  Histogram latency;             // per op
  uint64_t probe_ops = 0;
  uint64_t probe_errors = 0;
  Histogram probe_latency;
  std::string first_error;       // kept for the report; later ones are counted only

  void NoteError(const std::string& what) {
    ++errors;
    if (first_error.empty()) first_error = what;
  }
  void NoteConnectFailure(const std::string& what) {
    ++connect_failures;
    if (first_error.empty()) first_error = what;
  }
  void Merge(const Stats& o) {
    connect_attempts += o.connect_attempts;
    established += o.established;
    connect_failures += o.connect_failures;
    errors += o.errors;
    ops += o.ops;
    held_at_end += o.held_at_end;
    latency.Merge(o.latency);
    probe_ops += o.probe_ops;
    probe_errors += o.probe_errors;
    probe_latency.Merge(o.probe_latency);
    if (first_error.empty()) first_error = o.first_error;
  }
};

}  // namespace roost::bench
