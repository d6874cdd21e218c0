// NOOP (RFC 9051 §6.1.2): does nothing itself; once a mailbox can be
// selected, the session's pending untagged updates ride on its reply.
#include "proto/imap/command_context.h"
#include "proto/imap/commands/commands.h"

namespace roost::proto::imap {

Result<Step> CmdNoop(CommandContext& ctx) {
  ROOST_RETURN_IF_ERROR(ctx.args.ExpectEnd());
  ctx.Ok("NOOP completed");
  return Step::kDone;
}

}  // namespace roost::proto::imap
