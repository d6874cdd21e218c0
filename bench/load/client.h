// Client: one simulated user of roost-bench, holding at most one TCP (or
// TLS) connection at a time, driven by its Worker's epoll loop.
//
// This is the shared transport layer every profile builds on: nonblocking
// connect, optional TLS (implicit or upgraded in place), CRLF line framing and
// buffered writes. It knows nothing about IMAP; ImapClient adds the greeting
// and STARTTLS, and profiles add behaviour on top through the virtual hooks.
// A client is owned by its Worker for the whole run, so the epoll data
// pointer (this) stays valid across reconnects.
//
// Thread affinity: its Worker's thread only.
#pragma once

#include <openssl/ssl.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "options.h"

namespace roost::bench {

class Worker;
using SteadyTime = std::chrono::steady_clock::time_point;

class Client {
 public:
  explicit Client(Worker& worker);
  virtual ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // Worker -> client.
  virtual void Start() = 0;             // once, when the worker starts
  virtual void OnMeasureStart() {}      // once, when the measured window opens
  virtual void OnTimer() {}             // a timer set with ArmTimer fired
  virtual void OnDeadline() = 0;        // the deadline set with SetDeadline passed
  void HandleEvents(uint32_t events);
  void BeginConnect();                  // admitted by the worker's connect gate
  bool DeadlinePassed(SteadyTime now) const { return has_deadline_ && now >= deadline_; }
  bool is_open() const { return fd_ >= 0; }
  // Closes the connection without a reply, for the end of the run.
  void Shutdown() { Close(); }

  // Whether this client counts toward established/ramp numbers (a latency
  // probe does not).
  virtual bool counts_as_client() const { return true; }

 protected:
  // Asks the worker for a connection slot; BeginConnect follows later.
  void RequestConnect();
  // Marks the connect phase over (ready or failed): frees the slot.
  void FinishConnect();
  void Send(std::string_view data);
  // Starts a TLS handshake on the open socket; OnTlsReady follows.
  void StartTls();
  void Close();
  void SetDeadline(std::chrono::nanoseconds from_now);
  void ClearDeadline() { has_deadline_ = false; }
  void ArmTimer(SteadyTime at);

  Worker& worker() { return worker_; }
  Stats& stats();
  const Options& options() const;

  // Transport -> subclass.
  virtual void OnConnected() = 0;   // TCP is up (plaintext)
  virtual void OnTlsReady() = 0;    // a StartTls handshake completed
  virtual void OnLine(std::string_view line) = 0;  // without CRLF
  // The connection failed or was closed by the peer; the fd is already gone.
  virtual void OnTransportError(std::string_view why) = 0;

 private:
  friend class Worker;  // owns timer_armed_/timer_at_
  enum class State { kIdle, kConnecting, kHandshake, kOpen };

  void OnWritable();
  void DriveHandshake();
  void FlushOutput();
  void ReadInput();
  void DeliverLines();
  void Fail(std::string_view why);

  Worker& worker_;
  int fd_ = -1;
  State state_ = State::kIdle;
  SSL* ssl_ = nullptr;
  bool connect_slot_ = false;
  std::string in_;
  std::string out_;
  bool has_deadline_ = false;
  SteadyTime deadline_{};
  bool ramp_done_ = false;
  bool timer_armed_ = false;
  SteadyTime timer_at_{};
};

}  // namespace roost::bench
