// AccountOptions: Courier authlib's per-account OPTIONS (spec §5.2).
//
// The wire form is a comma list of name=value ("disableimap=1,group=staff").
// authdaemond merges DEFAULTOPTIONS under the account's own options: a
// default applies only to names the account does not set itself, so
// DEFAULTOPTIONS="disableimap=1" plus an account's "disableimap=0" leaves IMAP
// enabled for that account. `group` may repeat (ACL group membership), so
// values are kept as a multimap; Get() returns the first.
//
// Thread affinity: a value type.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace roost::auth {

class AccountOptions {
 public:
  AccountOptions() = default;

  // Parses "a=1,b=2". Lenient like authlib: empty items are skipped, an item
  // without '=' is a name with an empty value, names are lowercased,
  // surrounding blanks are trimmed.
  static AccountOptions Parse(std::string_view text);

  // Applies `defaults` to every name this object does not set. All values of
  // a defaulted name are copied (so a default `group` list carries over).
  void MergeDefaults(const AccountOptions& defaults);

  // First value of `name`, if set.
  std::optional<std::string_view> Get(std::string_view name) const;
  // All values of `name` in the order given (for `group`).
  std::vector<std::string_view> GetAll(std::string_view name) const;
  // True iff `name` is set to a value authlib treats as true: a nonzero
  // number, or "y"/"yes"/"true" (case-insensitive). Unset -> false.
  bool IsSet(std::string_view name) const;

  void Add(std::string_view name, std::string_view value);
  bool empty() const { return values_.empty(); }

  // Canonical "a=1,b=2" (names sorted, repeats in insertion order).
  std::string ToString() const;

  friend bool operator==(const AccountOptions&, const AccountOptions&) = default;

 private:
  std::multimap<std::string, std::string, std::less<>> values_;
};

// Option names Roost acts on (spec §5.2).
inline constexpr std::string_view kOptDisableImap = "disableimap";
inline constexpr std::string_view kOptDisablePop3 = "disablepop3";
inline constexpr std::string_view kOptDisableInsecureImap = "disableinsecureimap";
inline constexpr std::string_view kOptDisableInsecurePop3 = "disableinsecurepop3";
inline constexpr std::string_view kOptDisableShared = "disableshared";
inline constexpr std::string_view kOptDisableSmap = "disablesmap";
inline constexpr std::string_view kOptGroup = "group";
inline constexpr std::string_view kOptSharedGroup = "sharedgroup";

}  // namespace roost::auth
