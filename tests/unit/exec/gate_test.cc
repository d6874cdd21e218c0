#include "exec/gate.h"

#include <atomic>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

namespace roost::exec {
namespace {

TEST(GateTest, CloseWithNobodyInsideFinishesAtOnce) {
  Gate gate;
  int closed = 0;
  gate.Close([&] { ++closed; });
  EXPECT_EQ(closed, 1);
  EXPECT_FALSE(gate.TryEnter());
  gate.Close([&] { ++closed; });
  EXPECT_EQ(closed, 1);
}

TEST(GateTest, CloseWaitsForLastHolder) {
  Gate gate;
  int closed = 0;
  ASSERT_TRUE(gate.TryEnter());
  {
    Gate::Holder h(gate);
    ASSERT_TRUE(h.held());
    gate.Close([&] { ++closed; });
    EXPECT_EQ(closed, 0);
    Gate::Holder refused(gate);
    EXPECT_FALSE(refused.held());
  }
  EXPECT_EQ(closed, 0);
  gate.Leave();
  EXPECT_EQ(closed, 1);
}

TEST(GateTest, ConcurrentEntersAndCloseRunCallbackOnce) {
  for (int round = 0; round < 50; ++round) {
    Gate gate;
    std::atomic<int> closed{0};
    std::atomic<int> entered_after_close{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
      threads.emplace_back([&] {
        for (int i = 0; i < 200; ++i) {
          if (gate.TryEnter()) {
            if (closed.load()) entered_after_close++;
            gate.Leave();
          }
        }
      });
    }
    gate.Close([&] { closed++; });
    for (auto& t : threads) t.join();
    EXPECT_EQ(closed.load(), 1);
    EXPECT_EQ(entered_after_close.load(), 0);
    EXPECT_EQ(gate.holders(), 0u);
  }
}

}  // namespace
}  // namespace roost::exec
