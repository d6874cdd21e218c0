// Flags: the five IMAP system flags that Maildir stores in filenames
// (maildir(5) info "2,"), as a small bitset. The bit values are those of
// storage::SystemFlag (storage/types.h), so Flags(MessageFlags::system) and
// Flags::bits() convert losslessly between the index and the filename.
// \Recent is not a stored flag and is deliberately absent.
//
// Thread affinity: a value type.
#pragma once

#include <cstdint>

#include "storage/types.h"

namespace roost::storage::maildir {

class Flags {
 public:
  enum Bit : uint8_t {
    kDraft = kFlagDraft,        // 'D'  \Draft
    kFlagged = kFlagFlagged,    // 'F'  \Flagged
    kAnswered = kFlagAnswered,  // 'R'  \Answered (replied)
    kSeen = kFlagSeen,          // 'S'  \Seen
    kDeleted = kFlagDeleted,    // 'T'  \Deleted (trashed)
  };
  static constexpr uint8_t kAllBits = 0x1F;

  constexpr Flags() = default;
  constexpr explicit Flags(uint8_t bits) : bits_(bits & kAllBits) {}

  constexpr bool Has(Bit b) const { return (bits_ & b) != 0; }
  constexpr Flags& Set(Bit b, bool on = true) {
    bits_ = on ? (bits_ | b) : (bits_ & ~b & kAllBits);
    return *this;
  }
  constexpr Flags& Clear(Bit b) { return Set(b, false); }
  constexpr bool empty() const { return bits_ == 0; }
  constexpr uint8_t bits() const { return bits_; }

  constexpr Flags operator|(Flags o) const { return Flags(bits_ | o.bits_); }
  constexpr Flags operator&(Flags o) const { return Flags(bits_ & o.bits_); }
  constexpr Flags operator~() const { return Flags(~bits_ & kAllBits); }
  constexpr bool operator==(const Flags&) const = default;

 private:
  uint8_t bits_ = 0;
};

constexpr Flags operator|(Flags::Bit a, Flags::Bit b) { return Flags(a) | Flags(b); }

// The Maildir letter of each flag, in the order Courier writes them.
struct FlagLetter {
  Flags::Bit bit;
  char letter;
};
inline constexpr FlagLetter kFlagLetters[] = {
    {Flags::kDraft, 'D'}, {Flags::kFlagged, 'F'}, {Flags::kAnswered, 'R'},
    {Flags::kSeen, 'S'},  {Flags::kDeleted, 'T'},
};

}  // namespace roost::storage::maildir
