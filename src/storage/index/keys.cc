#include "storage/index/keys.h"

namespace roost::storage::index {
namespace {

constexpr size_t kIdFieldBytes = 9;  // tag + 8-byte id

// Checks `key` is `a` id:8 `b` then `tail_bytes` bytes.
Status CheckShape(std::string_view key, char a, char b, size_t tail_bytes, const char* what) {
  if (key.size() != kIdFieldBytes + 1 + tail_bytes || key[0] != a || key[kIdFieldBytes] != b) {
    return Status::Corruption(std::string("malformed ") + what + " key");
  }
  return Status::Ok();
}

std::string PrefixedKey(char a, uint64_t id, char b) {
  std::string key;
  key.reserve(kIdFieldBytes + 9);
  key.push_back(a);
  PutFixed64BE(&key, id);
  key.push_back(b);
  return key;
}

Result<UidKeyParts> ParseUidKey(std::string_view key, char tag, const char* what) {
  ROOST_RETURN_IF_ERROR(CheckShape(key, 'm', tag, 4, what));
  return UidKeyParts{DecodeFixed64BE(key.data() + 1), DecodeFixed32BE(key.data() + kIdFieldBytes + 1)};
}

}  // namespace

void PutFixed32BE(std::string* out, uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out->push_back(static_cast<char>((v >> shift) & 0xff));
}

void PutFixed64BE(std::string* out, uint64_t v) {
  for (int shift = 56; shift >= 0; shift -= 8) out->push_back(static_cast<char>((v >> shift) & 0xff));
}

uint32_t DecodeFixed32BE(const char* p) {
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v = (v << 8) | static_cast<uint8_t>(p[i]);
  return v;
}

uint64_t DecodeFixed64BE(const char* p) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | static_cast<uint8_t>(p[i]);
  return v;
}

std::string MailboxKey(UserId user, MailboxId mailbox) {
  std::string key = PrefixedKey('u', user, 'm');
  PutFixed64BE(&key, mailbox);
  return key;
}

std::string UserPrefix(UserId user) {
  std::string key = PrefixedKey('u', user, 'm');
  return key;
}

Result<MailboxKeyParts> ParseMailboxKey(std::string_view key) {
  ROOST_RETURN_IF_ERROR(CheckShape(key, 'u', 'm', 8, "mailbox"));
  return MailboxKeyParts{DecodeFixed64BE(key.data() + 1), DecodeFixed64BE(key.data() + kIdFieldBytes + 1)};
}

std::string ChunkKey(MailboxId mailbox, Uid first_uid) {
  std::string key = PrefixedKey('m', mailbox, 'c');
  PutFixed32BE(&key, first_uid);
  return key;
}

Result<UidKeyParts> ParseChunkKey(std::string_view key) { return ParseUidKey(key, 'c', "chunk"); }

std::string CacheKey(MailboxId mailbox, Uid uid) {
  std::string key = PrefixedKey('m', mailbox, 'u');
  PutFixed32BE(&key, uid);
  return key;
}

Result<UidKeyParts> ParseCacheKey(std::string_view key) { return ParseUidKey(key, 'u', "cache"); }

std::string ChangelogKey(MailboxId mailbox, ModSeq modseq) {
  std::string key = PrefixedKey('m', mailbox, 's');
  PutFixed64BE(&key, modseq);
  return key;
}

Result<ChangelogKeyParts> ParseChangelogKey(std::string_view key) {
  ROOST_RETURN_IF_ERROR(CheckShape(key, 'm', 's', 8, "changelog"));
  return ChangelogKeyParts{DecodeFixed64BE(key.data() + 1), DecodeFixed64BE(key.data() + kIdFieldBytes + 1)};
}

std::string MailboxPrefix(MailboxId mailbox) {
  std::string key;
  key.push_back('m');
  PutFixed64BE(&key, mailbox);
  return key;
}

}  // namespace roost::storage::index
