// Worker: one roost-bench thread, with its own epoll instance, its share of
// the clients, a connect gate and a timer heap.
//
// Clients are split across workers up front and never migrate. The gate
// bounds connects in flight (TCP + TLS + greeting) so a ramp of 15,000
// connections does not overflow the server's accept backlog, and optionally
// paces them. The measured window is global: it opens when every client of
// every worker has finished its first connect (for ramping profiles) or at
// once, and lasts --duration seconds; RunShared is how workers agree on it.
//
// Thread affinity: Worker methods run on the worker's own thread only;
// RunShared is thread-safe (atomics).
#pragma once

#include <sys/socket.h>

#include <openssl/ssl.h>

#include <atomic>
#include <cstdint>
#include <deque>
#include <memory>
#include <queue>
#include <random>
#include <vector>

#include "base/status.h"
#include "client.h"
#include "options.h"

namespace roost::bench {

struct RunShared {
  const Options* options = nullptr;
  SSL_CTX* ssl_ctx = nullptr;
  sockaddr_storage address{};
  socklen_t address_len = 0;
  // Clients whose first connect has not finished yet; the window opens at 0.
  std::atomic<int64_t> ramp_remaining{0};
  // steady_clock nanoseconds since epoch when the window opened; 0 = not yet.
  std::atomic<int64_t> window_start_ns{0};

  void NoteRampDone();
};

class Worker {
 public:
  Worker(RunShared& shared, int index, int connect_slots);
  ~Worker();
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  // REQUIRES: before Run().
  void AddClient(std::unique_ptr<Client> client) { clients_.push_back(std::move(client)); }
  // Runs until the measured window closes, then closes every connection.
  Status Run();

  // For clients.
  const Options& options() const { return *shared_.options; }
  Stats& stats() { return stats_; }
  SSL_CTX* ssl_ctx() { return shared_.ssl_ctx; }
  const sockaddr_storage& address() const { return shared_.address; }
  socklen_t address_len() const { return shared_.address_len; }
  int epoll_fd() const { return epoll_fd_; }
  int index() const { return index_; }
  std::mt19937_64& rng() { return rng_; }
  SteadyTime now() const { return now_; }
  bool in_window() const { return in_window_; }
  SteadyTime window_start() const { return window_start_; }
  // When Run() left its loop, before closing connections. REQUIRES: Run() returned.
  SteadyTime stopped_at() const { return stopped_at_; }
  void RequestConnect(Client* client);
  void ReleaseConnectSlot(Client* client);
  void ArmTimer(Client* client, SteadyTime at);
  // A client's first connect finished (ready or failed).
  void NoteRampDone() { shared_.NoteRampDone(); }

 private:
  struct Timer {
    SteadyTime at;
    Client* client;
    bool operator>(const Timer& o) const { return at > o.at; }
  };

  void AdmitConnects();
  void FireTimers();
  void SweepDeadlines();
  void MaybeOpenWindow();
  int NextWaitMs() const;

  RunShared& shared_;
  const int index_;
  const int connect_slots_;
  int epoll_fd_ = -1;
  std::vector<std::unique_ptr<Client>> clients_;
  Stats stats_;
  std::mt19937_64 rng_;
  SteadyTime now_{};
  bool in_window_ = false;
  SteadyTime window_start_{};
  SteadyTime window_end_{};
  SteadyTime stopped_at_{};

  std::deque<Client*> pending_connects_;
  int connects_in_flight_ = 0;
  // Pacing for --rate on ramping profiles: earliest time of the next admit.
  std::chrono::nanoseconds admit_interval_{0};
  SteadyTime next_admit_{};

  std::priority_queue<Timer, std::vector<Timer>, std::greater<>> timers_;
  SteadyTime next_sweep_{};
};

}  // namespace roost::bench
