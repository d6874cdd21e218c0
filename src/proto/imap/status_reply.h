// How a failed IMAP command is answered: the one place where Status and
// MailError become IMAP tagged replies (STYLE.md convention 1).
//
// InvalidArgument carries a client-safe syntax message (the parser's) and
// becomes BAD. A MailError becomes NO with its RFC 5530 response code and a
// fixed text: Status messages are for the log, never for the client.
// Anything else is a server bug: logged with a correlation id, answered
// "NO [SERVERBUG] Internal error (id X)".
//
// Thread affinity: strand only (writes to the session's ResponseWriter).
#pragma once

#include <string_view>

#include "base/status.h"
#include "proto/common/response_writer.h"

namespace roost::proto::imap {

// REQUIRES: !status.ok().
void WriteStatusReply(ResponseWriter& out, std::string_view tag, const Status& status);

}  // namespace roost::proto::imap
