// CAPABILITY (RFC 9051 §6.1.1): lists what the server supports now.
#include "proto/imap/command_context.h"
#include "proto/imap/commands/commands.h"
#include "proto/imap/imap_session.h"

namespace roost::proto::imap {

Result<Step> CmdCapability(CommandContext& ctx) {
  ROOST_RETURN_IF_ERROR(ctx.args.ExpectEnd());
  ctx.out.Untagged("CAPABILITY " + ctx.session.Capabilities());
  ctx.Ok("CAPABILITY completed");
  return Step::kDone;
}

}  // namespace roost::proto::imap
