#include "exec/executor.h"

#include <atomic>
#include <memory>

#include <gtest/gtest.h>

namespace roost::exec {
namespace {

// Drain() must not return while a worker still holds what a task captured:
// sessions rely on it to know their last reference is gone.
TEST(ExecutorTest, DrainWaitsUntilCapturesAreReleased) {
  Executor executor(2);
  for (int round = 0; round < 200; ++round) {
    auto token = std::make_shared<int>(round);
    std::weak_ptr<int> watch = token;
    executor.Post([token = std::move(token)] { (void)*token; });
    executor.Drain();
    ASSERT_TRUE(watch.expired()) << "round " << round;
  }
}

TEST(ExecutorTest, ExceptionInTaskDoesNotStopTheWorkers) {
  Executor executor(2);
  std::atomic<int> ran{0};
  executor.Post([] { throw std::runtime_error("bug"); });
  for (int i = 0; i < 100; ++i) executor.Post([&] { ran++; });
  executor.Drain();
  EXPECT_EQ(ran.load(), 100);
}

}  // namespace
}  // namespace roost::exec
