// roost-bench: load generator for Roost (and any IMAP server).
//
//   roost-bench --host 127.0.0.1 --port 143 --profile idle --clients 15000
//       --duration 60 --probe-rate 10 --threads 2 --json out.json
//
// Prints a table, optionally writes JSON, and exits 1 if any connect failure
// or protocol error was seen, so scripts can trust a zero exit.
#include <netdb.h>
#include <sys/resource.h>

#include <openssl/ssl.h>

#include <csignal>
#include <cstdio>
#include <cstring>
#include <map>
#include <thread>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "profile.h"
#include "report.h"
#include "worker.h"

namespace roost::bench {
namespace {

// Returns the new soft limit. Idle runs need one fd per client.
rlim_t RaiseFdLimit() {
  rlimit rl{};
  if (::getrlimit(RLIMIT_NOFILE, &rl) != 0) return 0;
  rl.rlim_cur = rl.rlim_max;
  ::setrlimit(RLIMIT_NOFILE, &rl);
  ::getrlimit(RLIMIT_NOFILE, &rl);
  return rl.rlim_cur;
}

Status Resolve(const Options& o, RunShared* shared) {
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* res = nullptr;
  int rc = ::getaddrinfo(o.host.c_str(), std::to_string(o.port).c_str(), &hints, &res);
  if (rc != 0) return Status::InvalidArgument(fmt::format("{}: {}", o.host, gai_strerror(rc)));
  std::memcpy(&shared->address, res->ai_addr, res->ai_addrlen);
  shared->address_len = res->ai_addrlen;
  ::freeaddrinfo(res);
  return Status::Ok();
}

// A benchmark client trusts any certificate: it measures the server, and
// test setups use self-signed certificates.
SSL_CTX* NewClientTlsContext() {
  SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
  if (ctx != nullptr) {
    SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, nullptr);
    SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
  }
  return ctx;
}

double Seconds(SteadyTime a, SteadyTime b) { return std::chrono::duration<double>(b - a).count(); }

void ParseArgs(CLI::App& app, Options& o) {
  const std::map<std::string, TlsMode> tls_modes{
      {"none", TlsMode::kNone}, {"implicit", TlsMode::kImplicit}, {"starttls", TlsMode::kStartTls}};
  app.add_option("--host", o.host, "server address")->capture_default_str();
  app.add_option("--port", o.port, "server port")->required();
  app.add_option("--profile", o.profile, "idle | capability | connect")
      ->capture_default_str()
      ->check(CLI::IsMember(ProfileNames()));
  app.add_option("--tls", o.tls, "none | implicit | starttls")
      ->transform(CLI::CheckedTransformer(tls_modes, CLI::ignore_case));
  app.add_option("--clients", o.clients, "simulated clients")->capture_default_str()
      ->check(CLI::Range(1, 1'000'000));
  app.add_option("--duration", o.duration_s, "measured window, seconds")->capture_default_str()
      ->check(CLI::PositiveNumber);
  app.add_option("--rate", o.rate,
                 "0 = unlimited; idle: new connections/s during the ramp; capability: "
                 "commands/s over all clients; connect: cycles/s over all clients")
      ->capture_default_str()->check(CLI::NonNegativeNumber);
  app.add_option("--probe-rate", o.probe_rate, "idle: CAPABILITY probes/s on one extra connection")
      ->check(CLI::NonNegativeNumber);
  app.add_option("--command", o.command, "capability: the command to loop")->capture_default_str();
  app.add_option("--connect-concurrency", o.connect_concurrency,
                 "connects in flight (TCP+TLS+greeting) over all threads")
      ->capture_default_str()->check(CLI::PositiveNumber);
  app.add_option("--timeout", o.timeout_s, "seconds allowed for a connect or a reply")
      ->capture_default_str()->check(CLI::PositiveNumber);
  app.add_option("--seed", o.seed, "random seed (phases of paced clients)")->capture_default_str();
  app.add_option("--threads", o.threads, "worker threads, each with its own epoll")
      ->capture_default_str()->check(CLI::Range(1, 256));
  app.add_option("--json", o.json_path, "also write the results as JSON to this file");
}

int RunBench(const Options& o) {
  rlim_t fd_limit = RaiseFdLimit();
  if (fd_limit != 0 && fd_limit < static_cast<rlim_t>(o.clients) + 64) {
    fmt::print(stderr, "roost-bench: warning: RLIMIT_NOFILE {} is below --clients {}\n", fd_limit,
               o.clients);
  }
  RunShared shared;
  shared.options = &o;
  if (Status s = Resolve(o, &shared); !s.ok()) {
    fmt::print(stderr, "roost-bench: {}\n", s.ToString());
    return 2;
  }
  std::unique_ptr<SSL_CTX, decltype(&SSL_CTX_free)> ctx(NewClientTlsContext(), &SSL_CTX_free);
  shared.ssl_ctx = ctx.get();
  std::unique_ptr<Profile> profile = MakeProfile(o.profile, o);
  int threads = std::min(o.threads, o.clients);
  if (profile->ramps()) shared.ramp_remaining = o.clients;

  std::vector<std::unique_ptr<Worker>> workers;
  int slots = std::max(1, o.connect_concurrency / threads);
  for (int i = 0; i < threads; ++i) {
    auto w = std::make_unique<Worker>(shared, i, slots);
    int count = o.clients / threads + (i < o.clients % threads ? 1 : 0);
    for (auto& c : profile->MakeClients(*w, count)) w->AddClient(std::move(c));
    workers.push_back(std::move(w));
  }
  SteadyTime t0 = std::chrono::steady_clock::now();
  if (!profile->ramps()) {
    shared.window_start_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                                 t0.time_since_epoch()).count();
  }
  std::vector<Status> results(workers.size());
  std::vector<std::thread> pool;
  for (size_t i = 0; i < workers.size(); ++i) {
    pool.emplace_back([&, i] { results[i] = workers[i]->Run(); });
  }
  for (auto& t : pool) t.join();
  SteadyTime t1 = std::chrono::steady_clock::now();

  RunSummary summary;
  summary.options = &o;
  summary.op_name = profile->op_name();
  SteadyTime window_start{std::chrono::nanoseconds(shared.window_start_ns.load())};
  SteadyTime window_end = window_start;
  for (auto& w : workers) {
    summary.stats.Merge(w->stats());
    window_end = std::max(window_end, w->stopped_at());
  }
  // The window ends when the workers stop measuring, not after they have
  // closed every connection (closing 15,000 TLS sessions takes a while).
  summary.wall_s = Seconds(t0, t1);
  summary.ramp_s = Seconds(t0, window_start);
  summary.window_s = Seconds(window_start, window_end);
  rusage ru{};
  ::getrusage(RUSAGE_SELF, &ru);
  summary.cpu_user_s = ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6;
  summary.cpu_sys_s = ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
  summary.max_rss_kb = ru.ru_maxrss;

  fmt::print("{}", FormatTable(summary));
  std::fflush(stdout);
  int rc = 0;
  for (const Status& s : results) {
    if (!s.ok()) {
      fmt::print(stderr, "roost-bench: worker failed: {}\n", s.ToString());
      rc = 2;
    }
  }
  if (!o.json_path.empty()) {
    if (Status s = WriteFile(o.json_path, FormatJson(summary)); !s.ok()) {
      fmt::print(stderr, "roost-bench: {}\n", s.ToString());
      rc = 2;
    }
  }
  const Stats& st = summary.stats;
  if (rc == 0 && st.errors + st.connect_failures + st.probe_errors > 0) rc = 1;
  return rc;
}

}  // namespace
}  // namespace roost::bench

int main(int argc, char** argv) {
  roost::bench::Options options;
  CLI::App app{"roost-bench: IMAP load generator"};
  roost::bench::ParseArgs(app, options);
  CLI11_PARSE(app, argc, argv);
  // SSL_write on a socket the server has reset must not kill the client.
  std::signal(SIGPIPE, SIG_IGN);
  return roost::bench::RunBench(options);
}
