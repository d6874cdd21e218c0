// The one place that maps a listener's protocol name to the proto/
// factory serving it (DESIGN.md: only server/ names concrete protocols).
//
// Thread affinity: main thread, during startup.
#pragma once

#include <memory>

#include "base/result.h"
#include "exec/executor.h"
#include "net/protocol.h"
#include "server/config.h"

namespace roost::server {

// REQUIRES: `executor` outlives the factory and every session it makes.
Result<std::shared_ptr<net::HandlerFactory>> NewProtocolFactory(const ListenerConfig& listener,
                                                                const Config& config,
                                                                exec::Executor& executor);

}  // namespace roost::server
