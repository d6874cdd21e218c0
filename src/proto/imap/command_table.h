// The IMAP command table: one constexpr CommandSpec per command name, as in
// dovecot's imap-commands.c, and the handler signature every command file
// under commands/ implements.
//
// A handler reads its own arguments from ctx.args (the parser cursor),
// writes untagged data and exactly one tagged completion to ctx.out, and
// returns the Step the session takes next. Returning an error Status
// instead means "reply for me": InvalidArgument becomes "tag BAD
// <message>" (parser messages are written for clients), a MailError
// becomes its NO [CODE] (status_reply.h), anything else "NO [SERVERBUG]"
// with a logged correlation id. The session flushes the reply, counts the
// command and returns the connection's pipelining credit (FrameDone) when
// the handler returns.
//
// Commands that are known (RFC 3501/9051 and the extensions we will
// implement) but have no handler yet have handler == nullptr and are
// answered "tag BAD Command not implemented"; names not in the table get
// "tag BAD Unknown command".
//
// Thread affinity: the table is immutable data; handlers run on the
// session's strand.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "base/result.h"

namespace roost::proto::imap {

struct CommandContext;

// RFC 9051 §3 connection states.
enum class ImapState : uint8_t { kNotAuthenticated = 0, kAuthenticated = 1, kSelected = 2, kLogout = 3 };

constexpr uint8_t StateBit(ImapState state) { return static_cast<uint8_t>(1u << static_cast<unsigned>(state)); }

// Allowed-state masks. No command runs in kLogout.
inline constexpr uint8_t kNotAuthOnly = StateBit(ImapState::kNotAuthenticated);
inline constexpr uint8_t kAuthStates = StateBit(ImapState::kAuthenticated) | StateBit(ImapState::kSelected);
inline constexpr uint8_t kSelectedOnly = StateBit(ImapState::kSelected);
inline constexpr uint8_t kAnyState = kNotAuthOnly | kAuthStates;

// Scheduling flags. Only what is used today is declared; the pipelining
// work adds kUsesSeqs / kBreaksSeqs / kBreaksMailbox / kNeedsSync (STYLE.md
// dovecot pattern 1) when commands may overlap.
enum CommandFlag : uint32_t {
  kNoFlags = 0,
  // Changes the connection itself (TLS, authentication, logout): nothing
  // pipelined behind it may run, or even be parsed, before it completes.
  // Today every command runs alone, so this documents intent for the
  // scheduler to come.
  kBarrier = 1u << 0,
};

// What the session does after a handler returned.
enum class Step {
  kDone,  // the command is complete (tagged reply written)
};

using CommandHandler = Result<Step> (*)(CommandContext& ctx);

struct CommandSpec {
  std::string_view name;   // upper case, as in the RFC
  CommandHandler handler;  // nullptr: known but not implemented yet
  uint8_t states;          // StateBit mask where the command is allowed
  uint32_t flags;          // CommandFlag bits
};

// The spec for `name` (any case), or nullptr when unknown.
const CommandSpec* FindCommand(std::string_view name);

// Every entry, in table order; CommandIndex() is a position in it.
std::span<const CommandSpec> AllCommands();
size_t CommandIndex(const CommandSpec& spec);

}  // namespace roost::proto::imap
