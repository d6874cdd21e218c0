// Declarations of the IMAP command handlers, one per file in this folder
// (cmd_<name>.cc). Only command_table.cc includes this: handlers are
// reached through the table.
//
// Thread affinity: handlers run on the session's strand.
#pragma once

#include "base/result.h"
#include "proto/imap/command_table.h"

namespace roost::proto::imap {

Result<Step> CmdCapability(CommandContext& ctx);  // RFC 9051 §6.1.1
Result<Step> CmdNoop(CommandContext& ctx);        // RFC 9051 §6.1.2
Result<Step> CmdLogout(CommandContext& ctx);      // RFC 9051 §6.1.3
Result<Step> CmdStartTls(CommandContext& ctx);    // RFC 9051 §6.2.1

}  // namespace roost::proto::imap
