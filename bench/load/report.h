// Report: turns the merged Stats of a run into the human table on stdout and
// the optional JSON file (one object, stable key names, for scripts/bench and
// doc/benchmarks.md).
//
// Thread affinity: main thread, after the workers have joined.
#pragma once

#include <string>
#include <string_view>

#include "base/status.h"
#include "options.h"

namespace roost::bench {

struct RunSummary {
  const Options* options = nullptr;
  std::string_view op_name;
  Stats stats;
  double wall_s = 0;         // whole run, ramp included
  double window_s = 0;       // measured window
  double ramp_s = 0;         // start -> window open
  double cpu_user_s = 0;     // this process (getrusage)
  double cpu_sys_s = 0;
  long max_rss_kb = 0;
};

std::string FormatTable(const RunSummary& summary);
std::string FormatJson(const RunSummary& summary);
Status WriteFile(const std::string& path, std::string_view content);

}  // namespace roost::bench
