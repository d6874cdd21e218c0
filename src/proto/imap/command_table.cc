#include "proto/imap/command_table.h"

#include <array>

#include "base/ascii.h"
#include "proto/imap/commands/commands.h"
#include "proto/imap/parser.h"

namespace roost::proto::imap {
namespace {

// Sorted by name for readability; lookup is a linear scan of ~40 short
// names, cheaper than hashing a case-folded copy.
constexpr std::array kCommands = {
    CommandSpec{"APPEND", nullptr, kAuthStates, kNoFlags},            // RFC 9051 §6.3.12
    CommandSpec{"AUTHENTICATE", nullptr, kNotAuthOnly, kBarrier},     // §6.2.2
    CommandSpec{"CAPABILITY", CmdCapability, kAnyState, kNoFlags},    // §6.1.1
    CommandSpec{"CHECK", nullptr, kSelectedOnly, kNoFlags},           // RFC 3501 §6.4.1
    CommandSpec{"CLOSE", nullptr, kSelectedOnly, kBarrier},           // §6.4.1
    CommandSpec{"COMPRESS", nullptr, kAuthStates, kBarrier},          // RFC 4978
    CommandSpec{"COPY", nullptr, kSelectedOnly, kNoFlags},            // §6.4.7
    CommandSpec{"CREATE", nullptr, kAuthStates, kNoFlags},            // §6.3.4
    CommandSpec{"DELETE", nullptr, kAuthStates, kNoFlags},            // §6.3.5
    CommandSpec{"ENABLE", nullptr, kAuthStates, kNoFlags},            // §6.3.1
    CommandSpec{"EXAMINE", nullptr, kAuthStates, kBarrier},           // §6.3.3
    CommandSpec{"EXPUNGE", nullptr, kSelectedOnly, kNoFlags},         // §6.4.3
    CommandSpec{"FETCH", nullptr, kSelectedOnly, kNoFlags},           // §6.4.5
    CommandSpec{"GETQUOTA", nullptr, kAuthStates, kNoFlags},          // RFC 9208
    CommandSpec{"GETQUOTAROOT", nullptr, kAuthStates, kNoFlags},      // RFC 9208
    CommandSpec{"ID", nullptr, kAnyState, kNoFlags},                  // RFC 2971
    CommandSpec{"IDLE", nullptr, kAuthStates, kBarrier},              // §6.3.13
    CommandSpec{"LIST", nullptr, kAuthStates, kNoFlags},              // §6.3.9
    CommandSpec{"LOGIN", nullptr, kNotAuthOnly, kBarrier},            // §6.2.3
    CommandSpec{"LOGOUT", CmdLogout, kAnyState, kBarrier},            // §6.1.3
    CommandSpec{"LSUB", nullptr, kAuthStates, kNoFlags},              // RFC 3501 §6.3.9
    CommandSpec{"MOVE", nullptr, kSelectedOnly, kNoFlags},            // §6.4.8
    CommandSpec{"NAMESPACE", nullptr, kAuthStates, kNoFlags},         // §6.3.10
    CommandSpec{"NOOP", CmdNoop, kAnyState, kNoFlags},                // §6.1.2
    CommandSpec{"RENAME", nullptr, kAuthStates, kNoFlags},            // §6.3.6
    CommandSpec{"SEARCH", nullptr, kSelectedOnly, kNoFlags},          // §6.4.4
    CommandSpec{"SELECT", nullptr, kAuthStates, kBarrier},            // §6.3.2
    CommandSpec{"SETQUOTA", nullptr, kAuthStates, kNoFlags},          // RFC 9208
    CommandSpec{"STARTTLS", CmdStartTls, kNotAuthOnly, kBarrier},     // §6.2.1
    CommandSpec{"STATUS", nullptr, kAuthStates, kNoFlags},            // §6.3.11
    CommandSpec{"STORE", nullptr, kSelectedOnly, kNoFlags},           // §6.4.6
    CommandSpec{"SUBSCRIBE", nullptr, kAuthStates, kNoFlags},         // §6.3.7
    CommandSpec{"UID", nullptr, kSelectedOnly, kNoFlags},             // §6.4.9
    CommandSpec{"UNAUTHENTICATE", nullptr, kAuthStates, kBarrier},    // RFC 8437
    CommandSpec{"UNSELECT", nullptr, kSelectedOnly, kBarrier},        // §6.4.2
    CommandSpec{"UNSUBSCRIBE", nullptr, kAuthStates, kNoFlags},       // §6.3.8
};

}  // namespace

const CommandSpec* FindCommand(std::string_view name) {
  for (const CommandSpec& spec : kCommands) {
    if (AsciiEqualsIgnoreCase(spec.name, name)) return &spec;
  }
  return nullptr;
}

std::span<const CommandSpec> AllCommands() { return kCommands; }

size_t CommandIndex(const CommandSpec& spec) { return static_cast<size_t>(&spec - kCommands.data()); }

}  // namespace roost::proto::imap
