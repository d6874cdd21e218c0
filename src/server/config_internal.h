// Internals of the config loader, shared by config.cc (files, defaults,
// cross-key checks) and config_apply.cc (one TOML document applied on top
// of the merged state). Not part of the server's interface.
//
// Thread affinity: used by one thread during one LoadConfig call.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <toml++/toml.h>

#include "server/config.h"

namespace roost::server::config_internal {

// Every error found so far, already formatted "<file>: <key>: <reason>".
class Errors {
 public:
  void Add(std::string_view file, std::string_view key, std::string_view reason);
  bool empty() const { return lines_.empty(); }
  std::string Joined() const;

 private:
  std::vector<std::string> lines_;
};

// A listener as written: fields whose default depends on the merged config
// (tls depends on [tls], address and name on tls) stay unset until then.
struct PendingListener {
  ListenerConfig config;
  std::optional<TlsMode> tls;
  bool has_name = false;
  bool has_address = false;
  std::string file;  // which file defined it
  std::string key;   // "listener[0]"
};

// The merged state while files are applied one by one.
struct Builder {
  Config config;
  std::vector<PendingListener> listeners;
  // Which file last set a key ("tls.cert"), so cross-key errors can name
  // the file responsible.
  std::map<std::string, std::string> origin;
};

// Reads the keys of one TOML table, checking type and range. Each getter
// returns true when the key is present and valid (and only then writes
// `out`); a present but invalid key is recorded in `errors`. Finish()
// reports keys no getter asked for as unknown.
class TableReader {
 public:
  TableReader(const toml::table& table, std::string_view file, std::string prefix, Errors& errors)
      : table_(table), file_(file), prefix_(std::move(prefix)), errors_(errors) {}

  bool String(std::string_view key, std::string& out);
  bool Bool(std::string_view key, bool& out);
  bool Int(std::string_view key, int64_t min, int64_t max, int64_t& out);
  bool Enum(std::string_view key, std::initializer_list<std::string_view> allowed, std::string& out);
  bool StringArray(std::string_view key, std::vector<std::string>& out);
  // Reports a problem with a key's value (found valid by type).
  void Error(std::string_view key, std::string_view reason);
  void Finish();

  // "server.io_threads", for origin bookkeeping.
  std::string Path(std::string_view key) const;

 private:
  const toml::node* Find(std::string_view key, toml::node_type type);

  const toml::table& table_;
  std::string_view file_;
  std::string prefix_;
  Errors& errors_;
  std::set<std::string, std::less<>> seen_;
};

std::string_view TypeName(toml::node_type type);

// Applies one parsed document on top of `builder`.
void ApplyDocument(const toml::table& root, std::string_view file, Builder& builder, Errors& errors);

}  // namespace roost::server::config_internal
