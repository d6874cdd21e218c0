// SearchProgram: a protocol-neutral search tree.
//
// The IMAP parser turns SEARCH criteria into this tree (sequence sets are
// resolved to UIDs first); SMAP's SEARCH builds the same tree. The engine
// answers flag/size/date/modseq keys from the columnar index and header
// keys from the message cache, touching message files only for BODY/TEXT.
// Trees are bounded by the parser (depth and node count) so a huge OR
// chain cannot exhaust the stack.
//
// Thread affinity: value type.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "storage/types.h"

namespace roost::storage {

struct SearchKey {
  enum class Kind : uint8_t {
    kAll, kAnd, kOr, kNot,
    kUids,                           // uids
    kFlagSet, kFlagUnset,            // system bit in `number`
    kKeyword, kNoKeyword,            // text
    kRecent, kNew, kOld,
    kLarger, kSmaller,               // number (CRLF size)
    kBefore, kOn, kSince,            // internal date, number = day (epoch days)
    kSentBefore, kSentOn, kSentSince,// Date: header, same unit
    kSaveDateBefore, kSaveDateOn, kSaveDateSince,
    kOlder, kYounger,                // RFC 5032 WITHIN: number = seconds
    kHeader,                         // header_name contains text
    kBody, kText,                    // substring in body / whole message
    kModSeq,                         // number = minimum modseq
    kEmailId, kThreadId,             // text
  };
  Kind kind = Kind::kAll;
  uint64_t number = 0;
  std::string header_name;
  std::string text;  // UTF-8; matched with i;unicode-casemap
  NumberSet uids;
  std::vector<SearchKey> children;  // kAnd (n), kOr (2), kNot (1)
};

struct SearchProgram {
  SearchKey root;  // usually kAnd of the client's keys
};

}  // namespace roost::storage
