#include "report.h"

#include <cerrno>
#include <cstdio>

#include <fmt/format.h>

namespace roost::bench {
namespace {

double Us(uint64_t ns) { return static_cast<double>(ns) / 1000.0; }

std::string_view TlsName(TlsMode mode) {
  switch (mode) {
    case TlsMode::kNone: return "none";
    case TlsMode::kImplicit: return "implicit";
    case TlsMode::kStartTls: return "starttls";
  }
  return "?";
}

std::string JsonEscape(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      out += fmt::format("\\u{:04x}", static_cast<unsigned>(c));
    } else {
      out += c;
    }
  }
  return out;
}

std::string LatencyJson(const Histogram& h) {
  return fmt::format(
      R"({{"count": {}, "mean_us": {:.1f}, "p50_us": {:.1f}, "p99_us": {:.1f}, "p999_us": {:.1f}, "max_us": {:.1f}}})",
      h.count(), h.Mean() / 1000.0, Us(h.Quantile(0.5)), Us(h.Quantile(0.99)),
      Us(h.Quantile(0.999)), Us(h.max()));
}

std::string LatencyRow(std::string_view label, const Histogram& h) {
  return fmt::format("  {:<22} p50 {:>9.1f} us  p99 {:>9.1f} us  p99.9 {:>9.1f} us  max {:>9.1f} us\n",
                     label, Us(h.Quantile(0.5)), Us(h.Quantile(0.99)), Us(h.Quantile(0.999)),
                     Us(h.max()));
}

double CpuPercent(const RunSummary& s) {
  return s.wall_s > 0 ? 100.0 * (s.cpu_user_s + s.cpu_sys_s) / s.wall_s : 0.0;
}

}  // namespace

std::string FormatTable(const RunSummary& s) {
  const Options& o = *s.options;
  const Stats& st = s.stats;
  std::string out = fmt::format(
      "roost-bench {} -> {}:{} (tls {}), {} clients on {} threads\n", o.profile, o.host, o.port,
      TlsName(o.tls), o.clients, o.threads);
  out += fmt::format("  {:<22} {:.2f} s (ramp {:.2f} s, window {:.2f} s)\n", "wall time", s.wall_s,
                     s.ramp_s, s.window_s);
  out += fmt::format("  {:<22} {} of {} attempts\n", "connections", st.established,
                     st.connect_attempts);
  out += fmt::format("  {:<22} {}\n", "held at end", st.held_at_end);
  out += fmt::format("  {:<22} {}\n", "connect failures", st.connect_failures);
  out += fmt::format("  {:<22} {}\n", "errors", st.errors);
  if (st.ops > 0 || st.latency.count() > 0) {
    double rate = s.window_s > 0 ? static_cast<double>(st.ops) / s.window_s : 0.0;
    out += fmt::format("  {:<22} {} ({:.0f}/s)\n", fmt::format("{}s", s.op_name), st.ops, rate);
    out += LatencyRow(fmt::format("{} latency", s.op_name), st.latency);
  }
  if (o.probe_rate > 0) {
    out += fmt::format("  {:<22} {} ok, {} errors\n", "probes", st.probe_ops, st.probe_errors);
    out += LatencyRow("probe latency", st.probe_latency);
  }
  out += fmt::format("  {:<22} user {:.2f} s + sys {:.2f} s = {:.0f}% of one core; max RSS {} MiB\n",
                     "client cpu", s.cpu_user_s, s.cpu_sys_s, CpuPercent(s), s.max_rss_kb / 1024);
  if (!st.first_error.empty()) out += fmt::format("  first error: {}\n", st.first_error);
  return out;
}

std::string FormatJson(const RunSummary& s) {
  const Options& o = *s.options;
  const Stats& st = s.stats;
  double rate = s.window_s > 0 ? static_cast<double>(st.ops) / s.window_s : 0.0;
  std::string out = "{\n";
  out += fmt::format(
      R"(  "profile": "{}", "host": "{}", "port": {}, "tls": "{}", "clients": {}, "threads": {},)"
      "\n",
      JsonEscape(o.profile), JsonEscape(o.host), o.port, TlsName(o.tls), o.clients, o.threads);
  out += fmt::format(R"(  "duration_s": {}, "rate": {}, "probe_rate": {}, "seed": {},)" "\n",
                     o.duration_s, o.rate, o.probe_rate, o.seed);
  out += fmt::format(R"(  "wall_s": {:.3f}, "ramp_s": {:.3f}, "window_s": {:.3f},)" "\n", s.wall_s,
                     s.ramp_s, s.window_s);
  out += fmt::format(
      R"(  "connect_attempts": {}, "connections_established": {}, "held_at_end": {}, "connect_failures": {}, "errors": {},)"
      "\n",
      st.connect_attempts, st.established, st.held_at_end, st.connect_failures, st.errors);
  out += fmt::format(R"(  "op": "{}", "ops": {}, "ops_per_s": {:.1f}, "latency": {},)" "\n",
                     s.op_name, st.ops, rate, LatencyJson(st.latency));
  out += fmt::format(R"(  "probe_ops": {}, "probe_errors": {}, "probe_latency": {},)" "\n",
                     st.probe_ops, st.probe_errors, LatencyJson(st.probe_latency));
  out += fmt::format(
      R"(  "client_cpu": {{"user_s": {:.3f}, "sys_s": {:.3f}, "percent_of_core": {:.1f}, "max_rss_kb": {}}},)"
      "\n",
      s.cpu_user_s, s.cpu_sys_s, CpuPercent(s), s.max_rss_kb);
  out += fmt::format(R"(  "first_error": "{}")" "\n}}\n", JsonEscape(st.first_error));
  return out;
}

Status WriteFile(const std::string& path, std::string_view content) {
  std::FILE* f = std::fopen(path.c_str(), "w");
  if (f == nullptr) return Status::FromErrno(errno, fmt::format("fopen({})", path));
  size_t n = std::fwrite(content.data(), 1, content.size(), f);
  int err = errno;
  if (std::fclose(f) != 0 || n != content.size()) {
    return Status::FromErrno(err, fmt::format("write({})", path));
  }
  return Status::Ok();
}

}  // namespace roost::bench
