#include "core/lockout.h"

#include <gtest/gtest.h>

namespace coffer::core {
namespace {

LockoutConfig Config(int64_t threshold, int64_t duration, int64_t reset) {
  LockoutConfig c;
  c.threshold = threshold;
  c.duration = duration;
  c.counter_reset = reset;
  return c;
}

TEST(LoginLockoutTest, LocksAtTheThresholdForTheDuration) {
  LoginLockout lockout;
  const auto config = Config(3, 600, 600);
  lockout.Failed("acc", "bob", 100, config);
  lockout.Failed("acc", "bob", 101, config);
  EXPECT_FALSE(lockout.Locked("acc", "bob", 102));
  lockout.Failed("acc", "bob", 102, config);
  EXPECT_TRUE(lockout.Locked("acc", "bob", 103));
  EXPECT_TRUE(lockout.Locked("acc", "bob", 701));
  EXPECT_FALSE(lockout.Locked("acc", "bob", 702));  // 102 + 600
  // Other aliases and other mounts are separate.
  EXPECT_FALSE(lockout.Locked("acc", "alice", 103));
  EXPECT_FALSE(lockout.Locked("other", "bob", 103));
}

TEST(LoginLockoutTest, OldFailuresStopCountingAndSuccessClears) {
  LoginLockout lockout;
  const auto config = Config(3, 600, 60);
  lockout.Failed("acc", "bob", 0, config);
  lockout.Failed("acc", "bob", 1, config);
  lockout.Failed("acc", "bob", 100, config);  // the first two are forgotten
  EXPECT_FALSE(lockout.Locked("acc", "bob", 100));
  lockout.Failed("acc", "bob", 101, config);
  lockout.Succeeded("acc", "bob");
  lockout.Failed("acc", "bob", 102, config);
  EXPECT_FALSE(lockout.Locked("acc", "bob", 102));
}

TEST(LoginLockoutTest, ListsAndUnlocks) {
  LoginLockout lockout;
  const auto config = Config(1, 600, 600);
  lockout.Failed("acc", "bob", 10, config);
  lockout.Failed("acc2", "carol", 10, config);
  auto locked = lockout.LockedAt(11);
  ASSERT_EQ(locked.size(), 2u);
  EXPECT_EQ(locked[0].accessor, "acc");
  EXPECT_EQ(locked[0].alias, "bob");
  EXPECT_EQ(locked[0].locked_until, 610);
  EXPECT_TRUE(lockout.Unlock("acc", "bob", 11));
  EXPECT_FALSE(lockout.Unlock("acc", "bob", 11));
  EXPECT_FALSE(lockout.Locked("acc", "bob", 11));
  EXPECT_EQ(lockout.LockedAt(11).size(), 1u);
  EXPECT_TRUE(lockout.LockedAt(700).empty());
}

TEST(LoginLockoutTest, DisabledOrAnonymousNeverLocks) {
  LoginLockout lockout;
  auto config = Config(1, 600, 600);
  config.disabled = true;
  lockout.Failed("acc", "bob", 10, config);
  EXPECT_FALSE(lockout.Locked("acc", "bob", 11));
  lockout.Failed("acc", "", 10, Config(1, 600, 600));
  EXPECT_TRUE(lockout.LockedAt(11).empty());
}

}  // namespace
}  // namespace coffer::core
