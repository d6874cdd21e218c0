// The parsed shape of one message: what IMAP FETCH needs to answer ENVELOPE,
// BODYSTRUCTURE, RFC822.SIZE and BODY[section]/BINARY[section] without
// re-reading the message.
//
// Produced by MimeParser (parser.h); plain data owned by whoever holds the
// MessageStructure. Every offset comes twice: raw (bytes as stored, which
// for Maildir usually means bare LF line endings) and "crlf" (as if every
// line ended in CRLF, which is what IMAP counts: RFC 3501 §2.3.4 says
// RFC822.SIZE is the size in RFC 822 format, i.e. with CRLF). A server that
// stores LF serves byte exact CRLF output by translating raw ranges and
// reporting crlf sizes.
//
// Thread affinity: value types; distinct objects may be used from any thread.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace roost::storage::mime {

// One RFC 5322 address in IMAP's shape (RFC 3501 §7.4.2 ENVELOPE): a group
// is a start marker {mailbox = group name, host absent} and an end marker
// (all fields absent). `name` is the display name as written (quotes and
// comments removed, encoded-words left encoded, as ENVELOPE wants); decode
// it with DecodeRfc2047() for display or search.
struct Address {
  enum class Kind : unsigned char { kMailbox, kGroupStart, kGroupEnd };
  Kind kind = Kind::kMailbox;
  std::string name;
  std::string adl;      // source route "@a,@b" (obsolete, RFC 5322 §4.4)
  std::string mailbox;  // local part, or the group name for kGroupStart
  std::string host;     // empty if the address had no domain
};

struct AddressList {
  std::vector<Address> addresses;
  // More addresses than MimeLimits::max_addresses: the rest were dropped.
  bool truncated = false;
};

// ENVELOPE data of one message (top level or encapsulated). Strings hold the
// unfolded raw header value; nullopt means the header is absent (NIL).
// Defaulting sender and reply-to to from (RFC 3501 §7.4.2) is NOT done here:
// the ENVELOPE renderer does it, with SenderOrFrom()/ReplyToOrFrom(), so the
// cache keeps what the message really says.
struct Envelope {
  std::optional<std::string> date;
  std::optional<std::string> subject;
  std::optional<std::string> message_id;
  std::optional<std::string> in_reply_to;
  AddressList from, sender, reply_to, to, cc, bcc;

  const AddressList& SenderOrFrom() const { return sender.addresses.empty() ? from : sender; }
  const AddressList& ReplyToOrFrom() const { return reply_to.addresses.empty() ? from : reply_to; }
};

// One Content-Type / Content-Disposition parameter after RFC 2231 decoding:
// continuations (name*0, name*1, ...) are joined and percent-encoded values
// are converted from `charset` to UTF-8. `extended` says the value came in
// RFC 2231 form, so a renderer that cannot send UTF-8 can re-encode it.
struct Param {
  std::string name;  // lowercased, without the RFC 2231 '*' suffixes
  std::string value;
  std::string charset;   // RFC 2231 charset, lowercased; empty if none
  std::string language;  // RFC 2231 language tag; empty if none
  bool extended = false;
};

struct ParamList {
  std::vector<Param> params;
  bool truncated = false;  // more than MimeLimits::max_params

  // First parameter named `name` (ASCII case-insensitive), or nullptr.
  const Param* Find(std::string_view name) const;
};

// A byte range in both coordinate systems (see file comment).
struct Span {
  uint64_t offset = 0;
  uint64_t size = 0;
  uint64_t crlf_offset = 0;
  uint64_t crlf_size = 0;
};

// One MIME entity. For the message itself and for each encapsulated
// message, `header` is the message header and `envelope` is set.
struct Part {
  // Header block including the blank line that ends it (BODY[n.MIME],
  // BODY[HEADER]); body is BODY[n] / BODY[TEXT]. For a child of a multipart
  // the CRLF before the next boundary belongs to the boundary, not to the
  // body (RFC 2046 §5.1.1).
  Span header;
  Span body;
  // Lines in the body: the line breaks in it, plus one if it ends with a
  // partial line (BODYSTRUCTURE body-fld-lines).
  uint64_t body_lines = 0;

  // Content-Type, lowercased (RFC 2045 §5). Without a usable header the
  // default applies: text/plain; charset=us-ascii (RFC 2045 §5.2), or
  // message/rfc822 inside multipart/digest (RFC 2046 §5.1.5).
  std::string type = "text";
  std::string subtype = "plain";
  ParamList params;
  bool has_content_type = false;

  std::optional<std::string> content_id;
  std::optional<std::string> description;
  std::optional<std::string> transfer_encoding;  // lowercased; nullopt = 7bit
  std::optional<std::string> md5;
  std::optional<std::string> location;
  std::vector<std::string> languages;      // Content-Language tags
  std::optional<std::string> disposition;  // lowercased
  ParamList disposition_params;

  // Set when this part would be a container but is parsed as a leaf
  // instead: a multipart without boundary or without any body part, a
  // container past MimeLimits::max_depth / max_parts, or a message/rfc822
  // with a transfer encoding it must not have. Its type becomes text/plain
  // (so BODYSTRUCTURE stays renderable); declared_type keeps "type/subtype".
  bool opaque = false;
  std::string declared_type;
  // The header block was longer than MimeLimits::max_header_bytes: fields
  // past the cap were not seen. Offsets are still exact.
  bool header_truncated = false;

  std::vector<std::unique_ptr<Part>> children;  // multipart/*
  std::unique_ptr<Part> message;                // message/rfc822, message/global
  std::unique_ptr<Envelope> envelope;           // on message roots only

  bool IsMultipart() const { return !children.empty(); }
};

struct MessageStructure {
  std::unique_ptr<Part> root;
  uint64_t size = 0;       // raw bytes
  uint64_t crlf_size = 0;  // RFC822.SIZE
  uint64_t lines = 0;
  // Caps that were hit somewhere in the tree (details on the parts).
  bool depth_capped = false;
  bool parts_capped = false;
  size_t part_count = 0;
  // Bytes examined plus steps taken by the sub-parsers; proves linearity in
  // tests, and lets callers spot pathological messages.
  uint64_t work = 0;
};

// Human-readable tree dump for tests and debugging; stable format.
std::string DebugString(const MessageStructure& m);

}  // namespace roost::storage::mime
