#include "server/signals.h"

#include <pthread.h>
#include <signal.h>

#include <cerrno>

namespace roost::server {
namespace {

sigset_t WaitedSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGHUP);
  return set;
}

}  // namespace

Status BlockServerSignals() {
  sigset_t set = WaitedSignals();
  sigaddset(&set, SIGPIPE);
  int err = pthread_sigmask(SIG_BLOCK, &set, nullptr);
  if (err != 0) return Status::FromErrno(err, "pthread_sigmask()");
  return Status::Ok();
}

ServerSignal WaitForSignal() {
  const sigset_t set = WaitedSignals();
  for (;;) {
    int signo = sigwaitinfo(&set, nullptr);
    if (signo == SIGHUP) return ServerSignal::kReload;
    if (signo == SIGTERM || signo == SIGINT) return ServerSignal::kShutdown;
    // EINTR (a debugger, SIGSTOP/SIGCONT): wait again.
  }
}

}  // namespace roost::server
