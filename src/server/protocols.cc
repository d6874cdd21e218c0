#include "server/protocols.h"

#include <fmt/format.h>

#include "proto/imap/imap_service.h"

namespace roost::server {

Result<std::shared_ptr<net::HandlerFactory>> NewProtocolFactory(const ListenerConfig& listener,
                                                                const Config& config,
                                                                exec::Executor& executor) {
  if (listener.protocol == "imap") {
    proto::imap::ImapOptions options;
    options.server_name = config.server.hostname;
    // RFC 9051 §6.2.1: STARTTLS is only advertised where it can be used.
    options.starttls_available = listener.tls == TlsMode::kStartTls;
    return proto::imap::NewImapHandlerFactory(executor, std::move(options));
  }
  // The config loader accepts only the protocols above; this is a bug.
  return Status::Internal(fmt::format("{}: no factory for protocol '{}'", listener.origin, listener.protocol));
}

}  // namespace roost::server
