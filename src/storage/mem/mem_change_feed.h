// MemChangeFeed: the ChangeFeed of one in-memory folder.
//
// Owned (shared) by the folder's MemFolder; every Subscription keeps the
// feed's core alive, so a subscription may outlive the folder. Notify()
// calls listeners synchronously on the notifying thread, outside the store
// lock. Each subscription has its own recursive mutex, held while its
// listener runs and taken by its destructor: after the destructor returns,
// the listener is never called again, and a listener may destroy its own
// subscription from inside the callback without deadlocking.
//
// Thread affinity: thread-safe.
#pragma once

#include <memory>
#include <mutex>
#include <vector>

#include "storage/change_feed.h"

namespace roost::storage::mem {

class MemChangeFeed final : public ChangeFeed {
 public:
  MemChangeFeed();
  ~MemChangeFeed() override;

  std::unique_ptr<Subscription> Subscribe(ChangeListener listener) override;
  void Notify() override;

  // For tests and diagnostics.
  size_t subscriber_count() const;

  struct Listener;
  struct Core;

 private:
  std::shared_ptr<Core> core_;
};

}  // namespace roost::storage::mem
