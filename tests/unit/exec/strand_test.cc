#include "exec/strand.h"

#include <atomic>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "exec/executor.h"

namespace roost::exec {
namespace {

TEST(StrandTest, RunsTasksInOrderOneAtATime) {
  Executor executor(2);
  auto strand = Strand::Create(executor);
  std::vector<int> seen;  // touched only by strand tasks: no lock needed
  std::atomic<int> running{0};
  std::atomic<bool> overlap{false};
  constexpr int kTasks = 5000;
  for (int i = 0; i < kTasks; ++i) {
    strand->Post([&, i] {
      if (running.fetch_add(1) != 0) overlap = true;
      EXPECT_TRUE(strand->RunningInThisThread());
      seen.push_back(i);
      running.fetch_sub(1);
    });
  }
  executor.Drain();
  EXPECT_FALSE(overlap.load());
  ASSERT_EQ(seen.size(), static_cast<size_t>(kTasks));
  for (int i = 0; i < kTasks; ++i) ASSERT_EQ(seen[i], i);
  EXPECT_FALSE(strand->RunningInThisThread());
}

TEST(StrandTest, DifferentStrandsRunInParallel) {
  Executor executor(2);
  auto a = Strand::Create(executor);
  auto b = Strand::Create(executor);
  // Each strand waits for the other to start: this only finishes if the
  // two run at the same time on different workers.
  std::atomic<bool> a_in{false}, b_in{false};
  std::atomic<bool> met{false};
  auto wait_for = [&](std::atomic<bool>& other) {
    for (int i = 0; i < 2000 && !other.load(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    if (other.load()) met = true;
  };
  a->Post([&] { a_in = true; wait_for(b_in); });
  b->Post([&] { b_in = true; wait_for(a_in); });
  executor.Drain();
  EXPECT_TRUE(met.load());
}

TEST(StrandTest, PostFromManyThreadsLosesNothing) {
  Executor executor(2);
  auto strand = Strand::Create(executor);
  int count = 0;  // strand-only
  std::vector<std::thread> posters;
  for (int t = 0; t < 4; ++t) {
    posters.emplace_back([&] {
      for (int i = 0; i < 1000; ++i) strand->Post([&] { ++count; });
    });
  }
  for (auto& t : posters) t.join();
  executor.Drain();
  EXPECT_EQ(count, 4000);
}

TEST(StrandTest, StrandOutlivesItsLastReference) {
  Executor executor(2);
  std::atomic<int> ran{0};
  {
    auto strand = Strand::Create(executor);
    for (int i = 0; i < 100; ++i) strand->Post([&] { ran++; });
  }
  executor.Drain();
  EXPECT_EQ(ran.load(), 100);
}

}  // namespace
}  // namespace roost::exec
