// LOGOUT (RFC 9051 §6.1.3): untagged BYE, tagged OK, then the server
// closes the connection (the session does it after flushing the reply).
#include "proto/imap/command_context.h"
#include "proto/imap/commands/commands.h"
#include "proto/imap/imap_session.h"

namespace roost::proto::imap {

Result<Step> CmdLogout(CommandContext& ctx) {
  ROOST_RETURN_IF_ERROR(ctx.args.ExpectEnd());
  ctx.out.Untagged("BYE Logging out");
  ctx.Ok("LOGOUT completed");
  ctx.session.BeginLogout();
  return Step::kDone;
}

}  // namespace roost::proto::imap
