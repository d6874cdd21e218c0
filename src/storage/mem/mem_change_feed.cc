#include "storage/mem/mem_change_feed.h"

#include <algorithm>

namespace roost::storage::mem {

struct MemChangeFeed::Listener {
  std::recursive_mutex mu;  // held while `fn` runs
  bool active = true;       // GUARDED_BY(mu)
  ChangeListener fn;
};

struct MemChangeFeed::Core {
  mutable std::mutex mu;
  std::vector<std::shared_ptr<Listener>> listeners;  // GUARDED_BY(mu)
};

namespace {

class MemSubscription final : public Subscription {
 public:
  MemSubscription(std::shared_ptr<MemChangeFeed::Core> core, std::shared_ptr<MemChangeFeed::Listener> listener)
      : core_(std::move(core)), listener_(std::move(listener)) {}
  ~MemSubscription() override {
    {
      // Waits for a running callback (on another thread) to return.
      std::lock_guard lock(listener_->mu);
      listener_->active = false;
    }
    std::lock_guard lock(core_->mu);
    std::erase(core_->listeners, listener_);
  }

 private:
  std::shared_ptr<MemChangeFeed::Core> core_;
  std::shared_ptr<MemChangeFeed::Listener> listener_;
};

}  // namespace

MemChangeFeed::MemChangeFeed() : core_(std::make_shared<Core>()) {}
MemChangeFeed::~MemChangeFeed() = default;

std::unique_ptr<Subscription> MemChangeFeed::Subscribe(ChangeListener listener) {
  auto entry = std::make_shared<Listener>();
  entry->fn = std::move(listener);
  {
    std::lock_guard lock(core_->mu);
    core_->listeners.push_back(entry);
  }
  return std::make_unique<MemSubscription>(core_, std::move(entry));
}

void MemChangeFeed::Notify() {
  std::vector<std::shared_ptr<Listener>> snapshot;
  {
    std::lock_guard lock(core_->mu);
    snapshot = core_->listeners;
  }
  for (auto& entry : snapshot) {
    std::lock_guard lock(entry->mu);
    if (entry->active) entry->fn();
  }
}

size_t MemChangeFeed::subscriber_count() const {
  std::lock_guard lock(core_->mu);
  return core_->listeners.size();
}

}  // namespace roost::storage::mem
