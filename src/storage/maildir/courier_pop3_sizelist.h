// courierpop3dsizelist (spec §2.9): Courier's POP3 UIDL and size cache for
// INBOX, plus the UIDL string forms POP3 clients have already seen.
//
//   /3 <nextuid> <uidv>
//   <filename> <size> <uid>:<uidv>:<isutf8>
//
// Version 2 files ("/2", entries without ":<isutf8>") are read and written
// back as version 3. <size> is the CRLF size POP3 reports. <filename> is
// the cur/ name as last seen (flags included); match on the part before
// ':'. uid 0 marks a message whose UIDL is the legacy filename form.
//
// Reading follows Courier's pop3dserver.c: a bad header means "no list"
// (an error here), but a bad entry line is skipped and counted, so one
// damaged line re-downloads one message instead of the whole mailbox.
// Pure functions. Thread affinity: thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "storage/maildir/codec_util.h"

namespace roost::storage::maildir {

struct Pop3SizeEntry {
  std::string filename;
  uint64_t size = 0;
  uint64_t uid = 0;
  uint64_t uidv = 0;
  bool utf8 = false;
  bool operator==(const Pop3SizeEntry&) const = default;
};

struct Pop3SizeList {
  int version = 3;  // as read; the formatter always writes 3
  uint64_t nextuid = 1;
  uint64_t uidv = 0;
  bool uidv_present = true;  // Courier accepts "/3 <nextuid>"; then uidv = now
  std::vector<Pop3SizeEntry> entries;
  size_t dropped = 0;        // entry lines skipped as malformed
};

// NotSupported for headers other than "/2" and "/3"; Corruption for a bad
// header; Corruption ("courierpop3dsizelist line N: line too long") or
// ResourceExhausted past the limits. Malformed entries (fewer than three
// fields, non-numeric size or uid field, bad utf8 flag, a '/' or empty
// filename) are skipped and counted in `dropped`.
Result<Pop3SizeList> ParsePop3SizeList(std::string_view data,
                                       size_t max_entries = kDefaultMaxEntries);

// Always version 3. REQUIRES: filenames without ' ' or '\n'.
std::string FormatPop3SizeList(const Pop3SizeList& list);

// "UID<n>-<uidv>", or "UID<n>" when uidv == 0 (Courier's version-1 lists).
std::string FormatUidl(uint64_t uid, uint64_t uidv);

// Courier-IMAP <= 1.7.3 UIDL: the filename up to its first ':', with bytes
// outside 0x21-0x7E and ' " + written as "+HH" (uppercase hex).
std::string FormatLegacyUidl(std::string_view filename);

}  // namespace roost::storage::maildir
