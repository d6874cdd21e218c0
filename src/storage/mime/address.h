// RFC 5322 §3.4 address-list parser producing IMAP ENVELOPE addresses
// (RFC 3501 §7.4.2): display name, source route, mailbox, host, with groups
// as start/end markers.
//
// One forward pass, no backtracking, so time is linear in the input; at
// most `max_addresses` addresses are produced, after which parsing stops and
// the list is marked truncated. Lenient with what real mail contains:
// missing angle brackets ("Name user@host"), unclosed brackets, quotes and
// comments, a comment as display name ("user@host (Name)"), addresses
// without a domain ("undisclosed-recipients"), and 8-bit bytes anywhere.
//
// Thread affinity: thread-safe (pure function).
#pragma once

#include <cstdint>
#include <string_view>

#include "storage/mime/structure.h"

namespace roost::storage::mime {

// `steps`, if given, receives the number of bytes examined.
AddressList ParseAddressList(std::string_view value, size_t max_addresses, uint64_t* steps = nullptr);

}  // namespace roost::storage::mime
