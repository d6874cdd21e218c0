// TableReader and Errors: typed, range-checked access to one TOML table,
// with every problem reported as "<file>: <key>: <reason>".
#include <fmt/format.h>

#include "server/config_internal.h"

namespace roost::server::config_internal {

void Errors::Add(std::string_view file, std::string_view key, std::string_view reason) {
  lines_.push_back(fmt::format("{}: {}: {}", file, key, reason));
}

std::string Errors::Joined() const {
  std::string out;
  for (const std::string& line : lines_) {
    if (!out.empty()) out += '\n';
    out += line;
  }
  return out;
}

std::string_view TypeName(toml::node_type type) {
  switch (type) {
    case toml::node_type::none: return "nothing";
    case toml::node_type::table: return "table";
    case toml::node_type::array: return "array";
    case toml::node_type::string: return "string";
    case toml::node_type::integer: return "integer";
    case toml::node_type::floating_point: return "float";
    case toml::node_type::boolean: return "boolean";
    case toml::node_type::date: return "date";
    case toml::node_type::time: return "time";
    case toml::node_type::date_time: return "date-time";
  }
  return "unknown";
}

namespace {

std::string_view Expected(toml::node_type type) {
  switch (type) {
    case toml::node_type::string: return "a string";
    case toml::node_type::integer: return "an integer";
    case toml::node_type::boolean: return "a boolean (true or false)";
    case toml::node_type::array: return "an array";
    default: return "a table";
  }
}

}  // namespace

std::string TableReader::Path(std::string_view key) const {
  return prefix_.empty() ? std::string(key) : fmt::format("{}.{}", prefix_, key);
}

void TableReader::Error(std::string_view key, std::string_view reason) {
  errors_.Add(file_, Path(key), reason);
}

const toml::node* TableReader::Find(std::string_view key, toml::node_type type) {
  seen_.emplace(key);
  const toml::node* node = table_.get(key);
  if (node == nullptr) return nullptr;
  if (node->type() != type) {
    Error(key, fmt::format("expected {}, got {}", Expected(type), TypeName(node->type())));
    return nullptr;
  }
  return node;
}

bool TableReader::String(std::string_view key, std::string& out) {
  const toml::node* node = Find(key, toml::node_type::string);
  if (node == nullptr) return false;
  out = node->as_string()->get();
  return true;
}

bool TableReader::Bool(std::string_view key, bool& out) {
  const toml::node* node = Find(key, toml::node_type::boolean);
  if (node == nullptr) return false;
  out = node->as_boolean()->get();
  return true;
}

bool TableReader::Int(std::string_view key, int64_t min, int64_t max, int64_t& out) {
  const toml::node* node = Find(key, toml::node_type::integer);
  if (node == nullptr) return false;
  int64_t value = node->as_integer()->get();
  if (value < min || value > max) {
    Error(key, fmt::format("must be between {} and {}, got {}", min, max, value));
    return false;
  }
  out = value;
  return true;
}

bool TableReader::Enum(std::string_view key, std::initializer_list<std::string_view> allowed, std::string& out) {
  std::string value;
  if (!String(key, value)) return false;
  for (std::string_view candidate : allowed) {
    if (value == candidate) {
      out = value;
      return true;
    }
  }
  Error(key, fmt::format("must be one of {}", fmt::join(allowed, ", ")));
  return false;
}

bool TableReader::StringArray(std::string_view key, std::vector<std::string>& out) {
  const toml::node* node = Find(key, toml::node_type::array);
  if (node == nullptr) return false;
  std::vector<std::string> values;
  bool ok = true;
  const toml::array& array = *node->as_array();
  for (size_t i = 0; i < array.size(); ++i) {
    const toml::node& element = *array.get(i);
    if (!element.is_string()) {
      Error(fmt::format("{}[{}]", key, i), fmt::format("expected a string, got {}", TypeName(element.type())));
      ok = false;
      continue;
    }
    values.push_back(element.as_string()->get());
  }
  if (ok) out = std::move(values);
  return ok;
}

void TableReader::Finish() {
  for (auto&& [key, node] : table_) {
    if (!seen_.contains(key.str())) errors_.Add(file_, Path(key.str()), "unknown key");
  }
}

}  // namespace roost::server::config_internal
