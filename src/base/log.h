// Structured logging on top of spdlog.
//
// Every line carries the id of the session it concerns ("sid=17"), taken
// from a thread-local that Strand sets while it runs a session's task and
// that IO threads set around a connection's callbacks, so code deep inside
// storage logs the right session without passing ids around. Messages are
// "key=value" friendly; secrets (passwords, SASL payloads) must never be
// passed to these macros.
//
// Thread affinity: thread-safe. Init() must run once before other threads
// start logging; until then logs go to stderr at info level.
#pragma once

#include <cstdint>
#include <string>

#include <spdlog/spdlog.h>

#include "base/status.h"

namespace roost::log {

struct Options {
  std::string level = "info";   // trace|debug|info|warn|error|off
  std::string format = "text";  // text|json
  std::string file;             // empty: stderr
};

Status Init(const Options& options);

// The session id logged by the current thread; 0 means none.
uint64_t CurrentSessionId();

// Sets the current thread's session id for its lifetime, restoring the
// previous one on destruction.
class ScopedSessionId {
 public:
  explicit ScopedSessionId(uint64_t id);
  ~ScopedSessionId();
  ScopedSessionId(const ScopedSessionId&) = delete;
  ScopedSessionId& operator=(const ScopedSessionId&) = delete;

 private:
  uint64_t previous_;
};

// A short random id that links a client-visible "internal error (id X)"
// reply to the log line holding the details.
std::string NewCorrelationId();

}  // namespace roost::log

#define ROOST_LOG_TRACE(...) SPDLOG_TRACE(__VA_ARGS__)
#define ROOST_LOG_DEBUG(...) SPDLOG_DEBUG(__VA_ARGS__)
#define ROOST_LOG_INFO(...) SPDLOG_INFO(__VA_ARGS__)
#define ROOST_LOG_WARN(...) SPDLOG_WARN(__VA_ARGS__)
#define ROOST_LOG_ERROR(...) SPDLOG_ERROR(__VA_ARGS__)
