// IMAP mailbox name <-> Maildir++ folder directory (spec §2.1).
//
// INBOX is the main maildir (directory ""). Every other folder is a flat
// sibling directory ".<c1>.<c2>..." whose components are the hierarchy
// levels, joined with '.' on disk whatever separator clients see. Names on
// disk are UTF-8 (Courier >= 5.0); modified UTF-7 is converted at the
// protocol edge (mutf7.h), never here.
//
// Validation rules (for isolation: a name must never reach outside the
// user's maildir or collide with Maildir's own files):
//   * valid UTF-8, no NUL, no control characters (< 0x20, 0x7F), no '/';
//   * no empty component (so no leading, trailing or doubled separator,
//     which also rules out "." , ".." and a trailing '.' on disk);
//   * no component starting with '~' (home-directory expansion in shells
//     and in other servers' namespaces; Courier's SMAP encoding escapes it);
//   * when the client separator is not '.', a component may not contain
//     '.', because '.' is the on-disk separator;
//   * the on-disk directory name (".a.b.c") is at most 255 bytes.
// Pure functions. Thread affinity: thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "base/result.h"
#include "base/status.h"

namespace roost::storage::maildir {

inline constexpr size_t kMaxFolderDirLength = 255;

struct FolderNaming {
  // Hierarchy delimiter shown to clients ('.' like Courier, or '/').
  char separator = '.';
  // true: Courier layout, every folder is "INBOX<sep><name>" and names
  // outside that prefix do not exist. false: folders are top-level
  // ("Sent<sep>2002") and INBOX is a sibling.
  bool inbox_prefixed = true;
};

// "INBOX" (any case) -> "" ; "INBOX.Sent.2002" -> ".Sent.2002" (prefixed) or
// "Sent.2002" -> ".Sent.2002" (not prefixed). In non-prefixed mode a
// first component equal to INBOX in any case is canonicalised to "INBOX"
// (RFC 3501 §5.1: INBOX is case-insensitive). InvalidArgument on a name that
// breaks a rule above, NotFound for a name outside the INBOX prefix.
Result<std::string> MailboxToDir(std::string_view mailbox, const FolderNaming& naming);

// "" -> "INBOX"; ".Sent.2002" -> "INBOX.Sent.2002" or "Sent.2002". Fails
// (InvalidArgument) on a directory that is not a valid folder, including,
// in non-prefixed mode, ".INBOX" (would alias INBOX) and ".inbox.x" in any
// case other than ".INBOX.x" (clients' "inbox.x" means ".INBOX.x").
Result<std::string> DirToMailbox(std::string_view dir, const FolderNaming& naming);

// Checks one hierarchy component against the rules above.
Status ValidateFolderComponent(std::string_view component, char separator);

}  // namespace roost::storage::maildir
