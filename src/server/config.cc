// Loading: files, merge order, TOML syntax errors, and the defaults and
// cross-key rules applied once every file has been read.
#include "server/config.h"

#include <arpa/inet.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include <fmt/format.h>

#include "server/config_internal.h"

namespace roost::server {

using config_internal::Builder;
using config_internal::Errors;
using config_internal::PendingListener;

std::string_view TlsModeName(TlsMode mode) {
  switch (mode) {
    case TlsMode::kNone: return "none";
    case TlsMode::kStartTls: return "starttls";
    case TlsMode::kImplicit: return "implicit";
  }
  return "none";
}

std::string CheckAddress(std::string_view address) {
  size_t colon = address.rfind(':');
  if (colon == std::string_view::npos) return "expected host:port, e.g. 127.0.0.1:143";
  std::string host(address.substr(0, colon));
  std::string_view port = address.substr(colon + 1);
  if (port.empty() || port.size() > 5 || !std::all_of(port.begin(), port.end(), ::isdigit) ||
      std::stoul(std::string(port)) > 65535) {
    return fmt::format("invalid port '{}' (0-65535)", port);
  }
  if (host == "*") return "";
  unsigned char buf[16];
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    if (inet_pton(AF_INET6, host.substr(1, host.size() - 2).c_str(), buf) == 1) return "";
    return fmt::format("invalid IPv6 address '{}'", host);
  }
  if (inet_pton(AF_INET, host.c_str(), buf) == 1) return "";
  return fmt::format("invalid host '{}' (an IPv4 address, [IPv6] or *)", host);
}

std::vector<std::string> ConfigFiles(const std::string& path) {
  std::vector<std::string> files{path};
  std::filesystem::path dir = std::filesystem::path(path).parent_path() / "conf.d";
  std::error_code ec;
  std::vector<std::string> extra;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    if (entry.path().extension() != ".toml") continue;
    if (!entry.is_regular_file(ec)) continue;
    extra.push_back(entry.path().string());
  }
  std::sort(extra.begin(), extra.end());  // byte order: "10-a" before "20-b"
  files.insert(files.end(), extra.begin(), extra.end());
  return files;
}

namespace {

std::string OriginOf(const Builder& b, const std::string& key) {
  auto it = b.origin.find(key);
  return it != b.origin.end() ? it->second : b.config.path;
}

void FinalizeServer(Builder& b, Errors& errors) {
  ServerSection& s = b.config.server;
  if (s.hostname.empty()) {
    char name[256] = {};
    if (gethostname(name, sizeof(name) - 1) == 0) s.hostname = name;
    if (s.hostname.empty()) s.hostname = "localhost";
  }
  if (!s.group.empty() && s.user.empty()) {
    errors.Add(OriginOf(b, "server.group"), "server.group", "requires server.user");
  }
}

void FinalizeTls(Builder& b, Errors& errors) {
  TlsSection& t = b.config.tls;
  const net::TlsOptions& o = t.options;
  t.configured = !o.cert_file.empty();
  if (t.configured && o.key_file.empty()) {
    errors.Add(OriginOf(b, "tls.cert"), "tls.key", "required when tls.cert is set");
  }
  if (!t.configured && !o.key_file.empty()) {
    errors.Add(OriginOf(b, "tls.key"), "tls.cert", "required when tls.key is set");
  }
  if (!t.configured && !o.client_ca_file.empty()) {
    errors.Add(OriginOf(b, "tls.client_ca"), "tls.client_ca", "requires tls.cert and tls.key");
  }
  if (o.require_client_cert && o.client_ca_file.empty()) {
    errors.Add(OriginOf(b, "tls.require_client_cert"), "tls.require_client_cert", "requires tls.client_ca");
  }
}

void FinalizeLimits(Builder& b, Errors& errors) {
  ProtocolLimits& l = b.config.limits;
  if (l.output_hard < l.output_soft) {
    errors.Add(OriginOf(b, "limits.output_hard"), "limits.output_hard",
               fmt::format("must be at least limits.output_soft ({})", l.output_soft));
  }
  // A frame is one line plus its literals; keep the totals consistent with
  // the per-part limits the operator chose.
  l.pre_auth.max_frame = l.pre_auth.max_line + l.pre_auth.max_literal;
  l.post_auth.max_frame = l.post_auth.max_line + l.post_auth.max_literal;
}

std::vector<PendingListener> DefaultListeners(const Config& config) {
  std::vector<PendingListener> out;
  PendingListener imap;
  imap.file = config.path;
  imap.key = "listener[default imap]";
  imap.config.origin = fmt::format("{}: {}", config.path, imap.key);
  out.push_back(imap);
  if (config.tls.configured) {
    PendingListener imaps = imap;
    imaps.key = "listener[default imaps]";
    imaps.config.origin = fmt::format("{}: {}", config.path, imaps.key);
    imaps.tls = TlsMode::kImplicit;
    out.push_back(imaps);
  }
  return out;
}

void ResolveListener(PendingListener& p, const Config& config, Errors& errors) {
  ListenerConfig& l = p.config;
  l.tls = p.tls.value_or(config.tls.configured ? TlsMode::kStartTls : TlsMode::kNone);
  const bool implicit = l.tls == TlsMode::kImplicit;
  if (!p.has_address) l.address = implicit ? "127.0.0.1:993" : "127.0.0.1:143";
  if (!p.has_name) l.name = implicit ? l.protocol + "s" : l.protocol;
  if (l.tls != TlsMode::kNone && !config.tls.configured) {
    errors.Add(p.file, p.key + ".tls",
               fmt::format("{} requires [tls] cert and key to be set", TlsModeName(l.tls)));
  }
  if (l.proxy_protocol && l.trusted_proxies.empty()) {
    errors.Add(p.file, p.key + ".trusted_proxies",
               "must list the proxies' networks when proxy_protocol = true");
  }
}

// Port 0 asks the kernel for a fresh port each time, so only fixed ports
// can collide.
bool FixedPort(std::string_view address) { return !address.ends_with(":0"); }

void FinalizeListeners(Builder& b, Errors& errors) {
  if (b.listeners.empty()) b.listeners = DefaultListeners(b.config);
  std::map<std::string, std::string> names;      // name -> key
  std::map<std::string, std::string> addresses;  // address -> name
  if (!b.config.admin_address.empty() && FixedPort(b.config.admin_address)) {
    addresses[b.config.admin_address] = "admin";
  }
  for (PendingListener& p : b.listeners) {
    ResolveListener(p, b.config, errors);
    const ListenerConfig& l = p.config;
    if (l.name == "admin") {
      errors.Add(p.file, p.key + ".name", "'admin' is reserved for the admin listener");
    } else if (!names.emplace(l.name, p.key).second) {
      errors.Add(p.file, p.key + ".name", fmt::format("duplicate listener name '{}'", l.name));
    }
    if (FixedPort(l.address)) {
      auto [it, inserted] = addresses.emplace(l.address, l.name);
      if (!inserted) {
        errors.Add(p.file, p.key + ".address", fmt::format("{} is already used by '{}'", l.address, it->second));
      }
    }
    b.config.listeners.push_back(l);
  }
}

Result<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::FromErrno(errno, fmt::format("{}: cannot read", path));
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return Status::FromErrno(errno, fmt::format("{}: cannot read", path));
  return text.str();
}

}  // namespace

Result<Config> LoadConfigFromStrings(const std::vector<ConfigSource>& files, const std::string& directory) {
  Builder b;
  b.config.path = files.empty() ? std::string() : files.front().name;
  b.config.directory = directory;
  Errors errors;
  for (const ConfigSource& file : files) {
    try {
      toml::table root = toml::parse(file.text, file.name);
      config_internal::ApplyDocument(root, file.name, b, errors);
    } catch (const toml::parse_error& e) {
      errors.Add(fmt::format("{}:{}:{}", file.name, e.source().begin.line, e.source().begin.column), "syntax",
                 e.description());
    }
  }
  FinalizeServer(b, errors);
  FinalizeTls(b, errors);
  FinalizeLimits(b, errors);
  FinalizeListeners(b, errors);
  if (!errors.empty()) return Status::InvalidArgument(errors.Joined());
  return std::move(b.config);
}

Result<Config> LoadConfig(const std::string& path) {
  std::vector<ConfigSource> sources;
  std::vector<std::string> problems;
  for (const std::string& file : ConfigFiles(path)) {
    Result<std::string> text = ReadFile(file);
    if (!text.has_value()) {
      problems.push_back(fmt::format("{}: {}", file, std::strerror(text.error().sys_errno())));
      continue;
    }
    sources.push_back({file, std::move(*text)});
  }
  if (!problems.empty()) {
    std::string joined;
    for (const std::string& p : problems) joined += (joined.empty() ? "" : "\n") + p;
    return Status::InvalidArgument(joined);
  }
  std::error_code ec;
  std::filesystem::path parent = std::filesystem::path(path).parent_path();
  if (parent.empty()) parent = ".";
  std::filesystem::path dir = std::filesystem::absolute(parent, ec);
  return LoadConfigFromStrings(sources, ec ? parent.string() : dir.lexically_normal().string());
}

}  // namespace roost::server
