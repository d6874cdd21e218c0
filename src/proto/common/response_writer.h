// ResponseWriter: builds a session's replies in one buffer and hands them
// to the connection in as few writes as possible.
//
// A command appends its untagged data, then its tagged completion, and the
// session calls Flush() once when the command is done: one Write (one
// cross-thread post to the IO thread) per command. A reply larger than the
// chunk size (FETCH of many messages) is flushed in chunks as it grows, so
// memory stays bounded by the chunk plus the connection's output queue.
//
// The IMAP string helpers follow RFC 9051 §4.3: a quoted string when the
// value is short and safe, else a literal {n}\r\n...; astring prefers a
// bare atom; nstring writes NIL for no value.
//
// Thread affinity: owned by one session, strand only. The handle it writes
// to is thread-safe.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "net/protocol.h"

namespace roost::proto {

// Tagged completion results, RFC 9051 §7.1.
enum class Cond { kOk, kNo, kBad };

class ResponseWriter {
 public:
  // Replies are written when the buffer reaches this size even mid-command.
  static constexpr size_t kDefaultChunk = 64 * 1024;

  explicit ResponseWriter(net::ConnectionHandle handle, size_t chunk = kDefaultChunk)
      : handle_(std::move(handle)), chunk_(chunk) {}
  ResponseWriter(const ResponseWriter&) = delete;
  ResponseWriter& operator=(const ResponseWriter&) = delete;

  // "* <text>\r\n".
  void Untagged(std::string_view text);
  // "<tag> OK|NO|BAD [<code>] <text>\r\n"; the code is omitted when empty.
  void Tagged(std::string_view tag, Cond cond, std::string_view code, std::string_view text);
  // "+ <text>\r\n".
  void Continuation(std::string_view text);
  // Bytes exactly as given (a reply assembled with the helpers below; the
  // caller writes the CRLF).
  void Raw(std::string_view bytes);

  // Builds one reply piece by piece: `writer.buffer() += ...`, then
  // MaybeFlush(). The buffer is only ever appended to.
  std::string& buffer() { return buffer_; }
  // Flushes when the buffer has reached the chunk size.
  void MaybeFlush();
  // Writes everything buffered (no-op when empty).
  void Flush();
  bool empty() const { return buffer_.empty(); }

  const net::ConnectionHandle& handle() const { return handle_; }

 private:
  net::ConnectionHandle handle_;
  size_t chunk_;
  std::string buffer_;
};

std::string_view CondName(Cond cond);

// Quoted strings are used up to this length; longer values become literals
// (a client parses a literal without scanning for escapes).
inline constexpr size_t kMaxQuotedLength = 1024;

// True if `value` can be sent as an IMAP quoted string: short, 7-bit, no
// CR/LF/NUL (RFC 9051 §9: quoted = DQUOTE *QUOTED-CHAR DQUOTE).
bool CanQuote(std::string_view value);
// IMAP string (§9 "string"): quoted when CanQuote, else a literal.
void AppendString(std::string& out, std::string_view value);
// astring: a bare atom when every byte is an ASTRING-CHAR (and it is not
// "NIL", which a client would read as NIL), else AppendString.
void AppendAString(std::string& out, std::string_view value);
// nstring: NIL for nullopt, else AppendString.
void AppendNString(std::string& out, std::optional<std::string_view> value);

}  // namespace roost::proto
