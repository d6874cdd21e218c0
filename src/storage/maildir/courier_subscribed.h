// courierimapsubscribed: Courier-IMAP's subscription list in the main
// maildir, one IMAP folder name per line ("INBOX.Sent"), UTF-8 since
// Courier 5.0. Pure functions. Thread affinity: thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace roost::storage::maildir {

// Far more subscriptions than any client uses; bounds hostile files.
inline constexpr size_t kMaxSubscriptions = 100'000;
// IMAP names are short; 4 KiB leaves room for deep hierarchies.
inline constexpr size_t kMaxSubscriptionLine = 4096;

// Blank lines are skipped; order and duplicates are preserved so the file
// round-trips. Corruption ("courierimapsubscribed line N: ...") on a NUL
// byte or an overlong line; ResourceExhausted past `max_entries`.
Result<std::vector<std::string>> ParseSubscribed(std::string_view data,
                                                 size_t max_entries = kMaxSubscriptions);

// One name per line, each ending in '\n'. REQUIRES: names without '\n'.
std::string FormatSubscribed(const std::vector<std::string>& names);

}  // namespace roost::storage::maildir
