// MailError: semantic mail failures that a client may see.
//
// Each protocol (IMAP, POP3, SMAP, LMTP) maps these to its own reply in one
// exhaustive switch without a default, so adding an enumerator is a compile
// error until every protocol has decided what it means (-Werror=switch).
// Modelled on dovecot's enum mail_error.
//
// Thread affinity: plain data.
#pragma once

#include <string_view>

namespace roost {

enum class MailError : unsigned char {
  kNone = 0,
  kTempFail,     // temporary server failure; details only in the log
  kNotPossible,  // the operation is not possible in this state
  kParams,       // bad parameters from the client
  kNoPerm,       // permission denied (ACL, account option)
  kNoQuota,      // over quota
  kNotFound,     // mailbox or message does not exist
  kExists,       // mailbox already exists
  kExpunged,     // the message was expunged meanwhile
  kInUse,        // locked by someone else
  kLimit,        // a configured limit was exceeded
  kCorrupted,    // storage inconsistency; being rebuilt
  kUnavailable,  // a backend (auth, storage) is down
};

std::string_view MailErrorName(MailError e);

}  // namespace roost
