// IoLoop::Create: backend selection (seastar's detect-then-fallback shape).
#include "base/log.h"
#include "net/epoll_loop.h"
#include "net/io_loop.h"
#include "net/uring_loop.h"

namespace roost::net {

Result<std::unique_ptr<IoLoop>> IoLoop::Create(const Options& options) {
  if (options.backend != IoBackend::kEpoll) {
    // The probe is the real thing: a ring with our flags plus a registered
    // provided-buffer ring. Anything less (old kernel, seccomp, memlock
    // limits, io_uring_disabled sysctl) fails here rather than later.
    Result<std::unique_ptr<UringLoop>> uring = UringLoop::Create(options);
    if (uring.has_value()) {
      ROOST_LOG_INFO("io backend: uring (ring_entries={} recv_buffers={}x{})", options.ring_entries,
                     options.recv_buffers, options.recv_buffer_size);
      return std::unique_ptr<IoLoop>(std::move(uring).value());
    }
    if (options.backend == IoBackend::kUring) {
      return uring.error().WithContext("io_uring backend requested but unavailable");
    }
    ROOST_LOG_INFO("io backend: epoll (io_uring unavailable: {})", uring.error().ToString());
  }
  ROOST_ASSIGN_OR_RETURN(std::unique_ptr<EpollLoop> epoll, EpollLoop::Create(options));
  if (options.backend == IoBackend::kEpoll) ROOST_LOG_INFO("io backend: epoll (forced)");
  return std::unique_ptr<IoLoop>(std::move(epoll));
}

}  // namespace roost::net
