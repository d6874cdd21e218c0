// ProtocolLimits: every bound on what a peer can make us hold, in one place.
//
// Each value has a reason. Limits come in pairs: `pre_auth` applies before a
// session has logged in (anyone on the internet can open a connection, so
// we hold them to little), `post_auth` after. The config file can override
// each one ([limits] section, see doc/config.md).
//
// Thread affinity: plain data, copied into each connection.
#pragma once

#include <cstddef>
#include <cstdint>

namespace roost {

struct FrameLimits {
  // Longest command line, excluding literal contents. RFC 9051 §4 sets no
  // limit; 8 KB is plenty for LOGIN/AUTHENTICATE before login, and 64 KB
  // (dovecot's imap_max_line_length) covers long UID sets afterwards.
  size_t max_line = 64 * 1024;
  // Largest single literal. Before login only credentials arrive in
  // literals; afterwards APPEND dominates (APPENDLIMIT advertises it).
  uint64_t max_literal = 64ull * 1024 * 1024;
  // Sum of line and literals in one command frame.
  uint64_t max_frame = 64ull * 1024 * 1024 + 64 * 1024;
  // Literals in one command (MULTIAPPEND, SEARCH with many strings).
  size_t max_literals = 1000;
};

struct ProtocolLimits {
  FrameLimits pre_auth{.max_line = 8 * 1024, .max_literal = 8 * 1024, .max_frame = 16 * 1024, .max_literals = 4};
  FrameLimits post_auth{};
  // Output queued for a connection before the session must pause producing
  // (soft) and before the connection is dropped as a reader that never
  // reads (hard). The session checks the soft limit, so a slow reader of
  // FETCH 1:* BODY[] costs at most about this much memory.
  size_t output_soft = 256 * 1024;
  size_t output_hard = 16 * 1024 * 1024;
  // Frames parsed ahead of the session: pipelining depth. Before login it
  // is one, so STARTTLS and the switch to post-auth limits happen before
  // the next command's bytes are even parsed.
  unsigned pipeline_pre_auth = 1;
  unsigned pipeline_post_auth = 32;
};

}  // namespace roost
