#include "net/timer_queue.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace roost::net {
namespace {

using std::chrono::milliseconds;

class TimerQueueTest : public ::testing::Test {
 protected:
  TimerQueue::TimePoint t0_ = TimerQueue::Clock::now();
  TimerQueue q_;
  std::vector<std::string> fired_;
  std::function<void()> Record(std::string name) {
    return [this, name] { fired_.push_back(name); };
  }
};

TEST_F(TimerQueueTest, EmptyHasNoDeadline) {
  EXPECT_FALSE(q_.NextDeadline().has_value());
  EXPECT_EQ(q_.RunExpired(t0_), 0u);
}

TEST_F(TimerQueueTest, FiresInDeadlineOrder) {
  q_.Add(t0_ + milliseconds(30), Record("c"));
  q_.Add(t0_ + milliseconds(10), Record("a"));
  q_.Add(t0_ + milliseconds(20), Record("b"));
  ASSERT_TRUE(q_.NextDeadline().has_value());
  EXPECT_EQ(*q_.NextDeadline(), t0_ + milliseconds(10));
  EXPECT_EQ(q_.RunExpired(t0_ + milliseconds(25)), 2u);
  EXPECT_EQ(fired_, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(*q_.NextDeadline(), t0_ + milliseconds(30));
  EXPECT_EQ(q_.RunExpired(t0_ + milliseconds(30)), 1u);
  EXPECT_EQ(fired_, (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(q_.size(), 0u);
}

TEST_F(TimerQueueTest, SameDeadlineRunsInCreationOrder) {
  for (int i = 0; i < 5; ++i) q_.Add(t0_, Record(std::to_string(i)));
  q_.RunExpired(t0_);
  EXPECT_EQ(fired_, (std::vector<std::string>{"0", "1", "2", "3", "4"}));
}

TEST_F(TimerQueueTest, CancelPreventsFiring) {
  uint64_t a = q_.Add(t0_ + milliseconds(1), Record("a"));
  q_.Add(t0_ + milliseconds(2), Record("b"));
  q_.Cancel(a);
  q_.Cancel(a);       // twice is fine
  q_.Cancel(12345);   // unknown id is fine
  EXPECT_EQ(*q_.NextDeadline(), t0_ + milliseconds(2));
  q_.RunExpired(t0_ + milliseconds(5));
  EXPECT_EQ(fired_, (std::vector<std::string>{"b"}));
}

TEST_F(TimerQueueTest, CancelReleasesCapturesImmediately) {
  auto token = std::make_shared<int>(1);
  uint64_t id = q_.Add(t0_ + milliseconds(100), [token] {});
  EXPECT_EQ(token.use_count(), 2);
  q_.Cancel(id);
  EXPECT_EQ(token.use_count(), 1);
}

TEST_F(TimerQueueTest, TimerAddedInsideCallbackRunsOnNextCall) {
  q_.Add(t0_, [this] {
    fired_.push_back("outer");
    q_.Add(t0_, Record("inner"));  // already due, but must not run now
  });
  EXPECT_EQ(q_.RunExpired(t0_), 1u);
  EXPECT_EQ(fired_, (std::vector<std::string>{"outer"}));
  EXPECT_EQ(q_.RunExpired(t0_), 1u);
  EXPECT_EQ(fired_, (std::vector<std::string>{"outer", "inner"}));
}

TEST_F(TimerQueueTest, CallbackMayCancelALaterDueTimer) {
  uint64_t second = 0;
  q_.Add(t0_, [&] {
    fired_.push_back("first");
    q_.Cancel(second);
  });
  second = q_.Add(t0_ + milliseconds(1), Record("second"));
  q_.RunExpired(t0_ + milliseconds(1));
  EXPECT_EQ(fired_, (std::vector<std::string>{"first"}));
}

TEST_F(TimerQueueTest, ManyCancelsCompactTheHeap) {
  for (int i = 0; i < 1000; ++i) q_.Cancel(q_.Add(t0_ + milliseconds(i), Record("x")));
  q_.Add(t0_ + milliseconds(7), Record("kept"));
  EXPECT_EQ(q_.size(), 1u);
  EXPECT_EQ(*q_.NextDeadline(), t0_ + milliseconds(7));
  q_.RunExpired(t0_ + milliseconds(2000));
  EXPECT_EQ(fired_, (std::vector<std::string>{"kept"}));
}

}  // namespace
}  // namespace roost::net
