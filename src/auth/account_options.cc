#include "auth/account_options.h"

#include <cctype>
#include <utility>

namespace roost::auth {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

AccountOptions AccountOptions::Parse(std::string_view text) {
  AccountOptions options;
  while (!text.empty()) {
    size_t comma = text.find(',');
    std::string_view item = Trim(text.substr(0, comma));
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
    if (item.empty()) continue;
    size_t eq = item.find('=');
    std::string_view name = Trim(item.substr(0, eq));
    std::string_view value = eq == std::string_view::npos ? std::string_view() : Trim(item.substr(eq + 1));
    if (name.empty()) continue;
    options.Add(name, value);
  }
  return options;
}

void AccountOptions::MergeDefaults(const AccountOptions& defaults) {
  // Decide against the names set before the merge, so every value of a
  // repeated default (group=a,group=b) is copied, not just the first.
  std::multimap<std::string, std::string, std::less<>> merged = values_;
  for (const auto& [name, value] : defaults.values_) {
    if (values_.count(name) == 0) merged.emplace(name, value);
  }
  values_ = std::move(merged);
}

std::optional<std::string_view> AccountOptions::Get(std::string_view name) const {
  auto it = values_.find(Lower(name));
  if (it == values_.end()) return std::nullopt;
  return std::string_view(it->second);
}

std::vector<std::string_view> AccountOptions::GetAll(std::string_view name) const {
  std::vector<std::string_view> out;
  auto [first, last] = values_.equal_range(Lower(name));
  for (auto it = first; it != last; ++it) out.emplace_back(it->second);
  return out;
}

bool AccountOptions::IsSet(std::string_view name) const {
  std::optional<std::string_view> value = Get(name);
  if (!value || value->empty()) return false;
  std::string v = Lower(*value);
  if (v == "y" || v == "yes" || v == "true") return true;
  bool digits = true, nonzero = false;
  for (char c : v) {
    if (c < '0' || c > '9') digits = false;
    if (c > '0' && c <= '9') nonzero = true;
  }
  return digits && nonzero;
}

void AccountOptions::Add(std::string_view name, std::string_view value) {
  values_.emplace(Lower(name), std::string(value));
}

std::string AccountOptions::ToString() const {
  std::string out;
  for (const auto& [name, value] : values_) {
    if (!out.empty()) out.push_back(',');
    out.append(name).append("=").append(value);
  }
  return out;
}

}  // namespace roost::auth
