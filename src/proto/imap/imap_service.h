// The IMAP endpoint's HandlerFactory: what src/server/ wires into a
// listener for "imap" / "imaps" endpoints.
//
// Each connection gets an ImapFramer with pre-authentication limits (the
// connection switches to post-auth limits on SetAuthenticated()) and an
// ImapSession whose tasks run on `executor`.
//
// Thread affinity: the factory is immutable after creation and used from
// every IO thread (thread-safe). The executor must outlive the factory and
// every session it made.
#pragma once

#include <memory>
#include <string>

#include "base/limits.h"
#include "exec/executor.h"
#include "net/protocol.h"

namespace roost::proto::imap {

struct ImapOptions {
  // Shown in the greeting: "* OK [CAPABILITY ...] <server_name> ready."
  std::string server_name = "Roost";
  // TLS is configured for this endpoint, so STARTTLS is offered while the
  // connection is still plaintext (RFC 9051 §6.2.1).
  bool starttls_available = false;
  // Framing limits before login (the config's [limits] section).
  FrameLimits pre_auth_limits = ProtocolLimits{}.pre_auth;
};

std::shared_ptr<net::HandlerFactory> NewImapHandlerFactory(exec::Executor& executor, ImapOptions options);

}  // namespace roost::proto::imap

namespace roost::proto {
// Also reachable as proto::NewImapHandlerFactory / proto::ImapOptions.
using imap::ImapOptions;
using imap::NewImapHandlerFactory;
}  // namespace roost::proto
