#include "worker.h"

#include <sys/epoll.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>

namespace roost::bench {
namespace {

constexpr auto kSweepInterval = std::chrono::milliseconds(100);
constexpr auto kPacingSlack = std::chrono::milliseconds(20);

int64_t SteadyNs(SteadyTime t) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
}

}  // namespace

void RunShared::NoteRampDone() {
  if (ramp_remaining.fetch_sub(1, std::memory_order_acq_rel) == 1) {
    int64_t expected = 0;
    window_start_ns.compare_exchange_strong(expected, SteadyNs(std::chrono::steady_clock::now()));
  }
}

Worker::Worker(RunShared& shared, int index, int connect_slots)
    : shared_(shared),
      index_(index),
      connect_slots_(std::max(1, connect_slots)),
      rng_(shared.options->seed * 1000003u + static_cast<uint64_t>(index)) {
  epoll_fd_ = ::epoll_create1(EPOLL_CLOEXEC);
}

Worker::~Worker() {
  clients_.clear();  // closes sockets before the epoll fd goes
  if (epoll_fd_ >= 0) ::close(epoll_fd_);
}

void Worker::RequestConnect(Client* client) { pending_connects_.push_back(client); }

void Worker::ReleaseConnectSlot(Client*) { --connects_in_flight_; }

void Worker::ArmTimer(Client* client, SteadyTime at) {
  client->timer_armed_ = true;
  client->timer_at_ = at;
  timers_.push(Timer{at, client});
}

void Worker::AdmitConnects() {
  // A paced ramp may fall behind (a busy loop iteration, ms-granular
  // epoll_wait); catch up by at most kPacingSlack's worth of connects
  // rather than bursting a whole stall's backlog at the server.
  if (admit_interval_.count() > 0) next_admit_ = std::max(next_admit_, now_ - kPacingSlack);
  while (!pending_connects_.empty() && connects_in_flight_ < connect_slots_) {
    if (admit_interval_.count() > 0) {
      if (now_ < next_admit_) return;
      next_admit_ += admit_interval_;
    }
    Client* client = pending_connects_.front();
    pending_connects_.pop_front();
    ++connects_in_flight_;
    client->BeginConnect();
  }
}

void Worker::FireTimers() {
  while (!timers_.empty() && timers_.top().at <= now_) {
    Timer t = timers_.top();
    timers_.pop();
    // Re-arming leaves the old heap entry behind; only the latest counts.
    if (!t.client->timer_armed_ || t.client->timer_at_ != t.at) continue;
    t.client->timer_armed_ = false;
    t.client->OnTimer();
  }
}

void Worker::SweepDeadlines() {
  if (now_ < next_sweep_) return;
  next_sweep_ = now_ + kSweepInterval;
  for (auto& c : clients_) {
    if (c->DeadlinePassed(now_)) {
      c->ClearDeadline();
      c->OnDeadline();
    }
  }
}

void Worker::MaybeOpenWindow() {
  if (in_window_) return;
  int64_t start_ns = shared_.window_start_ns.load(std::memory_order_acquire);
  if (start_ns == 0) return;
  in_window_ = true;
  window_start_ = SteadyTime(std::chrono::nanoseconds(start_ns));
  window_end_ = window_start_ + std::chrono::duration_cast<std::chrono::nanoseconds>(
                                    std::chrono::duration<double>(options().duration_s));
  for (auto& c : clients_) c->OnMeasureStart();
}

int Worker::NextWaitMs() const {
  SteadyTime wake = next_sweep_;
  if (in_window_) wake = std::min(wake, window_end_);
  if (!timers_.empty()) wake = std::min(wake, timers_.top().at);
  if (!pending_connects_.empty() && connects_in_flight_ < connect_slots_) {
    wake = std::min(wake, next_admit_);
  }
  if (wake <= now_) return 0;
  auto us = std::chrono::duration_cast<std::chrono::microseconds>(wake - now_).count();
  // Round up so we do not spin on a timer that is a fraction of a ms away;
  // also poll the shared window start at least every few ms while ramping.
  int ms = static_cast<int>((us + 999) / 1000);
  return in_window_ ? ms : std::min(ms, 5);
}

Status Worker::Run() {
  if (epoll_fd_ < 0) return Status::FromErrno(errno, "epoll_create1()");
  const Options& opt = options();
  if (opt.rate > 0 && shared_.ramp_remaining.load() > 0) {
    admit_interval_ = std::chrono::duration_cast<std::chrono::nanoseconds>(
        std::chrono::duration<double>(opt.threads / opt.rate));
  }
  now_ = std::chrono::steady_clock::now();
  next_admit_ = now_;
  next_sweep_ = now_ + kSweepInterval;
  for (auto& c : clients_) c->Start();

  std::vector<epoll_event> events(1024);
  for (;;) {
    now_ = std::chrono::steady_clock::now();
    MaybeOpenWindow();
    if (in_window_ && now_ >= window_end_) break;
    AdmitConnects();
    FireTimers();
    SweepDeadlines();
    int n = ::epoll_wait(epoll_fd_, events.data(), static_cast<int>(events.size()), NextWaitMs());
    if (n < 0) {
      if (errno == EINTR) continue;
      return Status::FromErrno(errno, "epoll_wait()");
    }
    now_ = std::chrono::steady_clock::now();
    for (int i = 0; i < n; ++i) {
      static_cast<Client*>(events[i].data.ptr)->HandleEvents(events[i].events);
    }
  }
  stopped_at_ = now_;
  for (auto& c : clients_) {
    if (c->is_open() && c->counts_as_client()) ++stats_.held_at_end;
    c->Shutdown();
  }
  return Status::Ok();
}

}  // namespace roost::bench
