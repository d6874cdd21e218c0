// ASCII-only case helpers for protocol tokens: IMAP command names and NIL,
// mailbox "INBOX", header field names, charset and parameter names. These
// are ASCII by definition in their RFCs, so locale-independent folding of
// A-Z only is the exact rule (i;ascii-casemap); Unicode text uses ICU.
//
// Thread affinity: pure functions.
#pragma once

#include <string>
#include <string_view>

namespace roost {

constexpr char AsciiLower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + ('a' - 'A')) : c; }

inline std::string AsciiLowercase(std::string_view s) {
  std::string r(s);
  for (char& c : r) c = AsciiLower(c);
  return r;
}

constexpr bool AsciiEqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (AsciiLower(a[i]) != AsciiLower(b[i])) return false;
  }
  return true;
}

}  // namespace roost
