// Key encodings for the index's column families
// (doc/design/storage-index.md, "Column families").
//
// Integers are big-endian and fixed-width, so RocksDB's bytewise order is
// numeric order: a mailbox's chunks sort by first UID, its changelog by
// modseq, and prefix iteration over one user or mailbox is a range scan.
// A one-letter tag precedes each field so the layouts stay readable in
// `ldb` dumps and cannot be confused with each other.
//
//   mailbox    'u' user:8 'm' mailbox:8     (18 bytes)
//   chunk      'm' mailbox:8 'c' first_uid:4 (14 bytes)
//   file       'm' mailbox:8 'c' first_uid:4 (same as chunk)
//   cache      'm' mailbox:8 'u' uid:4       (14 bytes)
//   changelog  'm' mailbox:8 's' modseq:8    (18 bytes)
//
// Decoders return Corruption for a key of the wrong length or tags.
// Pure functions. Thread affinity: thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/result.h"
#include "storage/types.h"

namespace roost::storage::index {

using UserId = uint64_t;
using MailboxId = uint64_t;

void PutFixed32BE(std::string* out, uint32_t v);
void PutFixed64BE(std::string* out, uint64_t v);
uint32_t DecodeFixed32BE(const char* p);
uint64_t DecodeFixed64BE(const char* p);

struct MailboxKeyParts {
  UserId user = 0;
  MailboxId mailbox = 0;
  bool operator==(const MailboxKeyParts&) const = default;
};
struct UidKeyParts {  // chunk, file and cache keys
  MailboxId mailbox = 0;
  Uid uid = 0;
  bool operator==(const UidKeyParts&) const = default;
};
struct ChangelogKeyParts {
  MailboxId mailbox = 0;
  ModSeq modseq = 0;
  bool operator==(const ChangelogKeyParts&) const = default;
};

// `mailbox` CF.
std::string MailboxKey(UserId user, MailboxId mailbox);
std::string UserPrefix(UserId user);  // every mailbox header of one user
Result<MailboxKeyParts> ParseMailboxKey(std::string_view key);

// `chunk` and `file` CFs: keyed by the chunk's first UID.
std::string ChunkKey(MailboxId mailbox, Uid first_uid);
Result<UidKeyParts> ParseChunkKey(std::string_view key);

inline std::string FileKey(MailboxId mailbox, Uid first_uid) { return ChunkKey(mailbox, first_uid); }
inline Result<UidKeyParts> ParseFileKey(std::string_view key) { return ParseChunkKey(key); }

// `cache` CF.
std::string CacheKey(MailboxId mailbox, Uid uid);
Result<UidKeyParts> ParseCacheKey(std::string_view key);

// `changelog` CF.
std::string ChangelogKey(MailboxId mailbox, ModSeq modseq);
Result<ChangelogKeyParts> ParseChangelogKey(std::string_view key);

// 'm' mailbox:8, the common prefix of one mailbox's keys in the chunk,
// file, cache and changelog CFs.
std::string MailboxPrefix(MailboxId mailbox);

}  // namespace roost::storage::index
