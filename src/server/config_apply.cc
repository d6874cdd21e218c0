// Applies one TOML document of roostd's configuration on top of the merged
// state. Schema, types and ranges live here; defaults that depend on other
// keys and cross-key rules live in config.cc (Finalize).
#include <filesystem>

#include <fmt/format.h>

#include "server/config_internal.h"

namespace roost::server::config_internal {
namespace {

constexpr int64_t kKiB = 1024;
constexpr int64_t kMiB = 1024 * kKiB;
constexpr int64_t kGiB = 1024 * kMiB;

// Relative paths in [tls] are relative to the main config file's directory,
// whichever file sets them, so an operator has one base to reason about.
std::string ResolvePath(const std::string& directory, const std::string& value) {
  if (value.empty()) return value;
  std::filesystem::path p(value);
  if (p.is_absolute()) return value;
  return (std::filesystem::path(directory) / p).lexically_normal().string();
}

// The enum check in TableReader::Enum already limited `name` to valid
// spellings, so the fallback is unreachable.
net::IoBackend ParseIoBackendOrAuto(std::string_view name) {
  Result<net::IoBackend> backend = net::ParseIoBackend(name);
  return backend.has_value() ? *backend : net::IoBackend::kAuto;
}

void ApplyServer(TableReader& r, std::string_view file, Builder& b) {
  ServerSection& s = b.config.server;
  int64_t n = 0;
  std::string text;
  if (r.String("hostname", s.hostname)) b.origin["server.hostname"] = file;
  if (r.Int("io_threads", 1, 256, n)) s.io_threads = static_cast<unsigned>(n);
  if (r.Int("workers", 0, 1024, n)) s.workers = static_cast<unsigned>(n);
  if (r.Enum("io_backend", {"auto", "uring", "epoll"}, text)) s.io_backend = ParseIoBackendOrAuto(text);
  if (r.String("user", s.user)) b.origin["server.user"] = file;
  if (r.String("group", s.group)) b.origin["server.group"] = file;
  if (r.Int("shutdown_timeout", 0, 86400, n)) s.shutdown_timeout = std::chrono::seconds(n);
  if (r.Int("max_connections_per_ip", 0, 1'000'000, n)) s.max_connections_per_ip = static_cast<unsigned>(n);
}

void ApplyLog(TableReader& r, Builder& b) {
  log::Options& l = b.config.log;
  r.Enum("level", {"trace", "debug", "info", "warn", "error", "off"}, l.level);
  r.Enum("format", {"text", "json"}, l.format);
  r.String("file", l.file);
}

void ApplyTls(TableReader& r, std::string_view file, Builder& b) {
  net::TlsOptions& t = b.config.tls.options;
  const std::string& dir = b.config.directory;
  std::string text;
  if (r.String("cert", text)) {
    t.cert_file = ResolvePath(dir, text);
    b.origin["tls.cert"] = file;
  }
  if (r.String("key", text)) {
    t.key_file = ResolvePath(dir, text);
    b.origin["tls.key"] = file;
  }
  if (r.String("client_ca", text)) {
    t.client_ca_file = ResolvePath(dir, text);
    b.origin["tls.client_ca"] = file;
  }
  if (r.Bool("require_client_cert", t.require_client_cert)) b.origin["tls.require_client_cert"] = file;
  r.Enum("min_version", {"TLSv1.2", "TLSv1.3"}, t.min_version);
  if (r.String("ciphers", text)) {
    if (text.empty()) {
      r.Error("ciphers", "must not be empty");
    } else {
      t.ciphers = text;
    }
  }
}

void ApplyLimits(TableReader& r, std::string_view file, Builder& b) {
  ProtocolLimits& l = b.config.limits;
  int64_t n = 0;
  if (r.Int("line_pre_auth", 512, 1 * kMiB, n)) l.pre_auth.max_line = static_cast<size_t>(n);
  if (r.Int("literal_pre_auth", 0, 16 * kMiB, n)) l.pre_auth.max_literal = static_cast<uint64_t>(n);
  if (r.Int("line", 1 * kKiB, 16 * kMiB, n)) l.post_auth.max_line = static_cast<size_t>(n);
  if (r.Int("literal", 0, 1024 * kGiB, n)) l.post_auth.max_literal = static_cast<uint64_t>(n);
  if (r.Int("output_soft", 4 * kKiB, 1 * kGiB, n)) {
    l.output_soft = static_cast<size_t>(n);
    b.origin["limits.output_soft"] = file;
  }
  if (r.Int("output_hard", 4 * kKiB, 16 * kGiB, n)) {
    l.output_hard = static_cast<size_t>(n);
    b.origin["limits.output_hard"] = file;
  }
  if (r.Int("pipeline", 1, 1024, n)) l.pipeline_post_auth = static_cast<unsigned>(n);
}

void ApplyAdmin(TableReader& r, std::string_view file, Builder& b) {
  std::string text;
  if (!r.String("address", text)) return;
  if (!text.empty()) {
    std::string why = CheckAddress(text);
    if (!why.empty()) return r.Error("address", why);
  }
  b.config.admin_address = text;
  b.origin["admin.address"] = file;
}

bool ValidName(std::string_view name) {
  if (name.empty() || name.size() > 32) return false;
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
              c == '_' || c == '.';
    if (!ok) return false;
  }
  return true;
}

void ApplyListener(TableReader& r, PendingListener& p) {
  ListenerConfig& l = p.config;
  std::string text;
  if (r.String("name", text)) {
    if (ValidName(text)) {
      l.name = text;
      p.has_name = true;
    } else {
      r.Error("name", "must be 1-32 characters of A-Z a-z 0-9 . _ -");
    }
  }
  r.Enum("protocol", {"imap"}, l.protocol);
  if (r.String("address", text)) {
    std::string why = CheckAddress(text);
    if (why.empty()) {
      l.address = text;
      p.has_address = true;
    } else {
      r.Error("address", why);
    }
  }
  if (r.Enum("tls", {"none", "starttls", "implicit"}, text)) {
    p.tls = text == "none" ? TlsMode::kNone : text == "starttls" ? TlsMode::kStartTls : TlsMode::kImplicit;
  }
  r.Bool("proxy_protocol", l.proxy_protocol);
  std::vector<std::string> cidrs;
  if (r.StringArray("trusted_proxies", cidrs)) {
    for (size_t i = 0; i < cidrs.size(); ++i) {
      Result<net::Cidr> cidr = net::Cidr::Parse(cidrs[i]);
      if (cidr.has_value()) {
        l.trusted_proxies.push_back(*cidr);
      } else {
        r.Error(fmt::format("trusted_proxies[{}]", i),
                fmt::format("invalid CIDR '{}': {}", cidrs[i], cidr.error().message()));
      }
    }
  }
}

void ApplyListeners(const toml::node& node, std::string_view file, Builder& b, Errors& errors) {
  const toml::array* array = node.as_array();
  if (array == nullptr || !array->is_array_of_tables()) {
    errors.Add(file, "listener", "expected an array of tables ([[listener]])");
    return;
  }
  for (size_t i = 0; i < array->size(); ++i) {
    PendingListener p;
    p.file = std::string(file);
    p.key = fmt::format("listener[{}]", i);
    p.config.origin = fmt::format("{}: {}", file, p.key);
    TableReader r(*array->get(i)->as_table(), file, p.key, errors);
    ApplyListener(r, p);
    r.Finish();
    b.listeners.push_back(std::move(p));
  }
}

}  // namespace

void ApplyDocument(const toml::table& root, std::string_view file, Builder& b, Errors& errors) {
  for (auto&& [key, node] : root) {
    std::string_view name = key.str();
    if (name == "listener") {
      ApplyListeners(node, file, b, errors);
      continue;
    }
    const bool known = name == "server" || name == "log" || name == "tls" || name == "limits" || name == "admin";
    if (!known) {
      errors.Add(file, name, "unknown key");
      continue;
    }
    const toml::table* table = node.as_table();
    if (table == nullptr) {
      errors.Add(file, name, fmt::format("expected a table, got {}", TypeName(node.type())));
      continue;
    }
    TableReader r(*table, file, std::string(name), errors);
    if (name == "server") ApplyServer(r, file, b);
    if (name == "log") ApplyLog(r, b);
    if (name == "tls") ApplyTls(r, file, b);
    if (name == "limits") ApplyLimits(r, file, b);
    if (name == "admin") ApplyAdmin(r, file, b);
    r.Finish();
  }
}

}  // namespace roost::server::config_internal
