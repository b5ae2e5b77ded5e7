// WriteGate itself: settling once, waiting, callbacks and the thread's
// current gate. What backends do with a gate is in conformance.cc.
#include "storage/write_gate.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "status_testing.h"

namespace coffer::storage::testing {
namespace {

using namespace std::chrono_literals;

TEST(WriteGateTest, WaitReturnsTheFirstSettledStatusOnceSettled) {
  WriteGate gate;
  EXPECT_FALSE(gate.settled());
  std::atomic<bool> returned{false};
  Status waited;
  std::thread waiter([&] {
    waited = gate.Wait();
    returned = true;
  });
  std::this_thread::sleep_for(30ms);
  EXPECT_FALSE(returned.load());  // nothing settled it yet
  gate.Settle(Status::Unavailable("no audit device took the entry"));
  gate.Settle(Status::Ok());  // too late: the first settlement stands
  waiter.join();
  EXPECT_TRUE(HasCode(waited, Code::kUnavailable));
  EXPECT_TRUE(gate.settled());
  EXPECT_TRUE(HasCode(gate.Wait(), Code::kUnavailable));
}

TEST(WriteGateTest, WhenSettledRunsOnTheSettlingThreadOrAtOnce) {
  WriteGate gate;
  std::thread::id ran_on;
  Status seen = Status::Internal("not run");
  gate.WhenSettled([&](const Status& s) {
    ran_on = std::this_thread::get_id();
    seen = s;
  });
  EXPECT_TRUE(HasCode(seen, Code::kInternal));  // not yet
  std::thread settler([&] { gate.Settle(Status::Ok()); });
  const std::thread::id settler_id = settler.get_id();
  settler.join();
  EXPECT_EQ(ran_on, settler_id);
  EXPECT_TRUE(IsOk(seen));

  bool ran_at_once = false;
  gate.WhenSettled([&](const Status& s) { ran_at_once = s.ok(); });
  EXPECT_TRUE(ran_at_once);
}

TEST(WriteGateTest, ScopeMakesTheGateCurrentOnItsThreadOnlyAndRestoresThePrevious) {
  WriteGate outer_gate;
  WriteGate inner_gate;
  EXPECT_EQ(WriteGate::Current(), nullptr);
  EXPECT_TRUE(IsOk(WaitForCurrentGate()));  // no gate: nothing to wait for
  {
    WriteGate::Scope outer(&outer_gate);
    EXPECT_EQ(WriteGate::Current(), &outer_gate);
    {
      WriteGate::Scope inner(&inner_gate);
      EXPECT_EQ(WriteGate::Current(), &inner_gate);
    }
    EXPECT_EQ(WriteGate::Current(), &outer_gate);
    const WriteGate* elsewhere = &outer_gate;
    std::thread([&] { elsewhere = WriteGate::Current(); }).join();
    EXPECT_EQ(elsewhere, nullptr);
    outer_gate.Settle(Status::Unavailable("down"));
    EXPECT_TRUE(HasCode(WaitForCurrentGate(), Code::kUnavailable));
  }
  EXPECT_EQ(WriteGate::Current(), nullptr);
}

}  // namespace
}  // namespace coffer::storage::testing
