// STARTTLS (RFC 9051 §6.2.1): OK, then the TLS handshake starts at once.
// Only in the not-authenticated state (the table enforces it). Refused
// with BAD when TLS is already active (a protocol error by the client)
// and with NO when this endpoint has no TLS configured.
#include "proto/imap/command_context.h"
#include "proto/imap/commands/commands.h"
#include "proto/imap/imap_session.h"

namespace roost::proto::imap {

Result<Step> CmdStartTls(CommandContext& ctx) {
  ROOST_RETURN_IF_ERROR(ctx.args.ExpectEnd());
  if (ctx.session.tls_active()) {
    ctx.Bad("TLS is already active");
    return Step::kDone;
  }
  if (!ctx.session.StartTlsAvailable()) {
    ctx.No("TLS is not available");
    return Step::kDone;
  }
  ctx.Ok("Begin TLS negotiation now");
  ctx.session.BeginStartTls();
  return Step::kDone;
}

}  // namespace roost::proto::imap
