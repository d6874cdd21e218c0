// Basic vocabulary of the storage layer: UIDs, modseqs, flags, sets.
//
// Protocol-neutral: IMAP, POP3, SMAP and LMTP all speak in these terms.
//
// Thread affinity: value types.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace roost::storage {

using Uid = uint32_t;     // RFC 9051 §2.3.1.1: 1..2^32-1, 0 is "none"
using SeqNum = uint32_t;  // 1-based position in a session's view
using ModSeq = uint64_t;  // RFC 7162: 63-bit, 0 is "none"

// System flags as bits (RFC 9051 §2.3.2). \Recent is per-session state,
// kept apart from these persistent bits.
enum SystemFlag : uint8_t {
  kFlagSeen = 1 << 0,
  kFlagAnswered = 1 << 1,
  kFlagFlagged = 1 << 2,
  kFlagDeleted = 1 << 3,
  kFlagDraft = 1 << 4,
};

// Keywords are interned per mailbox into small ids (0..kMaxKeywords-1), so
// a message's keyword set is a fixed 64-bit mask in the columnar index.
// 64 per mailbox is more than clients use in practice ($Junk, $NotJunk,
// $Forwarded, $MDNSent, $label1-5...); creating a 65th fails with
// MailError::kLimit and PERMANENTFLAGS then omits \*.
inline constexpr unsigned kMaxKeywords = 64;

struct MessageFlags {
  uint8_t system = 0;     // SystemFlag bits
  uint64_t keywords = 0;  // bit i = keyword id i of the mailbox
  bool operator==(const MessageFlags&) const = default;
};

enum class FlagOp : uint8_t { kReplace, kAdd, kRemove };

// A set of UIDs or sequence numbers as sorted, disjoint, inclusive ranges.
// `*` is resolved by the protocol layer before storage sees a set.
class NumberSet {
 public:
  using Range = std::pair<uint32_t, uint32_t>;
  NumberSet() = default;
  explicit NumberSet(std::vector<Range> ranges);  // normalises

  void Add(uint32_t first, uint32_t last);
  bool Contains(uint32_t n) const;
  bool empty() const { return ranges_.empty(); }
  uint64_t Count() const;
  const std::vector<Range>& ranges() const { return ranges_; }
  // RFC 9051 sequence-set syntax, e.g. "1:3,7,9:12".
  std::string ToString() const;

 private:
  std::vector<Range> ranges_;
};

}  // namespace roost::storage
