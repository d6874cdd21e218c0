// ChangeFeed: tells sessions that a folder changed, so IDLE and NOOP can
// report it (RFC 2177, RFC 9051 §7).
//
// One feed per open folder, shared by the sessions that have it selected,
// by delivery (LMTP, roost-deliver via the control socket) and by the
// watcher that notices external Maildir changes. The notification carries
// no data: listeners post a task to their session's strand, and that task
// calls Mailbox::Sync(), which reads the change log. Notifications are
// coalesced, so a burst of 1,000 deliveries wakes a session a few times.
//
// Thread affinity: thread-safe. Listeners are called on any thread and must
// return quickly.
#pragma once

#include <functional>
#include <memory>

namespace roost::storage {

using ChangeListener = std::function<void()>;

// Unsubscribes on destruction. After the destructor returns, the listener
// is never called again.
class Subscription {
 public:
  virtual ~Subscription() = default;
};

class ChangeFeed {
 public:
  virtual ~ChangeFeed() = default;
  virtual std::unique_ptr<Subscription> Subscribe(ChangeListener listener) = 0;
  // Wakes every subscriber (after a commit is durable).
  virtual void Notify() = 0;
};

}  // namespace roost::storage
