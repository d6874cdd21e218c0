// Header block access (RFC 5322 §2.2): iterate fields, unfold values, and
// cut out named fields for BODY[HEADER.FIELDS (...)] and .NOT (RFC 3501
// §6.4.5).
//
// A "header block" is the bytes of a header as stored: lines ending in CRLF
// or bare LF, optionally followed by the blank line that ends it (anything
// after that blank line is ignored). Lines that are neither a field nor a
// continuation of one are skipped.
//
// Thread affinity: thread-safe (pure functions over caller-owned bytes).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace roost::storage::mime {

struct HeaderField {
  std::string_view name;   // as written, without trailing whitespace
  std::string_view value;  // after the colon, folding kept, final line break dropped
  std::string_view raw;    // whole field including folding and final line break
};

// Forward iteration over the fields of a header block. Linear in the block.
class HeaderFieldIterator {
 public:
  explicit HeaderFieldIterator(std::string_view block) : block_(block) {}
  // Fills *field with the next field; false at the end of the block.
  bool Next(HeaderField* field);

 private:
  std::string_view block_;
  size_t pos_ = 0;
  bool done_ = false;
};

// If `line` (without its line break) starts a header field, returns the
// length of the field name; otherwise nullopt. Names are bytes 33..126 and
// 8-bit bytes other than ':', optionally followed by whitespace before ':'
// (RFC 5322 §4.5.3 obs-optional).
std::optional<size_t> FieldNameLength(std::string_view line);

// RFC 5322 §2.2.3 unfolding: line breaks before whitespace are removed,
// leading and trailing whitespace trimmed.
std::string UnfoldValue(std::string_view value);

// Unfolded value of the first field named `name` (case-insensitive).
std::optional<std::string> FindField(std::string_view block, std::string_view name);

// BODY[HEADER.FIELDS (names)] (exclude=false) or HEADER.FIELDS.NOT
// (exclude=true): the matching fields in order, folding preserved, every
// line ending normalised to CRLF, followed by the blank line that IMAP
// includes (RFC 3501 §6.4.5).
std::string ExtractFields(std::string_view block, const std::vector<std::string_view>& names, bool exclude);

}  // namespace roost::storage::mime
