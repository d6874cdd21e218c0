#include "base/log.h"

#include <atomic>
#include <memory>
#include <random>

#include <fmt/format.h>
#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>

namespace roost::log {
namespace {

thread_local uint64_t tls_session_id = 0;

// Renders "sid=N " for %* when the thread is working for a session.
class SessionIdFlag final : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg&, const std::tm&, spdlog::memory_buf_t& dest) override {
    if (tls_session_id == 0) return;
    fmt::format_to(std::back_inserter(dest), "sid={} ", tls_session_id);
  }
  std::unique_ptr<custom_flag_formatter> clone() const override {
    return std::make_unique<SessionIdFlag>();
  }
};

// JSON lines: the message is escaped by %v's caller being plain text; we
// quote it via the custom flag below.
class JsonSessionFlag final : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg&, const std::tm&, spdlog::memory_buf_t& dest) override {
    fmt::format_to(std::back_inserter(dest), "{}", tls_session_id);
  }
  std::unique_ptr<custom_flag_formatter> clone() const override {
    return std::make_unique<JsonSessionFlag>();
  }
};

class JsonMessageFlag final : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& msg, const std::tm&, spdlog::memory_buf_t& dest) override {
    for (char c : std::string_view(msg.payload.data(), msg.payload.size())) {
      switch (c) {
        case '"': dest.append(std::string_view("\\\"")); break;
        case '\\': dest.append(std::string_view("\\\\")); break;
        case '\n': dest.append(std::string_view("\\n")); break;
        default:
          if (static_cast<unsigned char>(c) < 0x20) {
            fmt::format_to(std::back_inserter(dest), "\\u{:04x}", c);
          } else {
            dest.push_back(c);
          }
      }
    }
  }
  std::unique_ptr<custom_flag_formatter> clone() const override {
    return std::make_unique<JsonMessageFlag>();
  }
};

}  // namespace

Status Init(const Options& options) {
  auto level = spdlog::level::from_str(options.level);
  if (level == spdlog::level::off && options.level != "off") {
    return Status::InvalidArgument(fmt::format("unknown log level '{}'", options.level));
  }
  std::shared_ptr<spdlog::logger> logger;
  try {
    if (options.file.empty()) {
      logger = std::make_shared<spdlog::logger>("roost", std::make_shared<spdlog::sinks::stderr_sink_mt>());
    } else {
      logger = std::make_shared<spdlog::logger>(
          "roost", std::make_shared<spdlog::sinks::basic_file_sink_mt>(options.file));
    }
  } catch (const spdlog::spdlog_ex& e) {
    return Status::InvalidArgument(fmt::format("log file '{}': {}", options.file, e.what()));
  }
  auto formatter = std::make_unique<spdlog::pattern_formatter>(spdlog::pattern_time_type::utc);
  if (options.format == "json") {
    formatter->add_flag<JsonSessionFlag>('*').add_flag<JsonMessageFlag>('&').set_pattern(
        R"({"ts":"%Y-%m-%dT%H:%M:%S.%fZ","level":"%l","sid":%*,"msg":"%&"})");
  } else if (options.format == "text") {
    formatter->add_flag<SessionIdFlag>('*').set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %L %*%v");
  } else {
    return Status::InvalidArgument(fmt::format("unknown log format '{}'", options.format));
  }
  logger->set_formatter(std::move(formatter));
  logger->set_level(level);
  logger->flush_on(spdlog::level::warn);
  spdlog::set_default_logger(std::move(logger));
  return Status::Ok();
}

uint64_t CurrentSessionId() { return tls_session_id; }

ScopedSessionId::ScopedSessionId(uint64_t id) : previous_(tls_session_id) { tls_session_id = id; }
ScopedSessionId::~ScopedSessionId() { tls_session_id = previous_; }

std::string NewCorrelationId() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  return fmt::format("{:012x}", rng() & 0xffffffffffffULL);
}

}  // namespace roost::log
