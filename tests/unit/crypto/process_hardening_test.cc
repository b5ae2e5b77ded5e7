#include "crypto/process_hardening.h"

#include <gtest/gtest.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>

#include <string>

namespace coffer::crypto {
namespace {

// ctest runs each test in its own process, so changing process-wide state
// here does not leak into other tests.

TEST(ProcessHardeningTest, DisableCoreDumpsZeroesCoreLimitAndClearsDumpable) {
  ASSERT_TRUE(DisableCoreDumps().ok());
  rlimit lim{};
  ASSERT_EQ(getrlimit(RLIMIT_CORE, &lim), 0);
  EXPECT_EQ(lim.rlim_cur, 0u);
  EXPECT_EQ(lim.rlim_max, 0u);
  EXPECT_EQ(prctl(PR_GET_DUMPABLE, 0, 0, 0, 0), 0);
}

TEST(ProcessHardeningTest, RaiseFileLimitRaisesSoftLimitToHardLimit) {
  rlimit before{};
  ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &before), 0);
  Result<long> raised = RaiseFileLimit();
  ASSERT_TRUE(raised.ok()) << raised.status().ToString();
  rlimit after{};
  ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &after), 0);
  EXPECT_EQ(static_cast<rlim_t>(*raised), after.rlim_cur);
  EXPECT_GE(after.rlim_cur, before.rlim_cur);
  EXPECT_EQ(after.rlim_cur, after.rlim_max);
}

TEST(ProcessHardeningTest, LockProcessMemorySucceedsOrNamesDisableMlock) {
  // Whether mlockall is allowed depends on the machine (CAP_IPC_LOCK,
  // RLIMIT_MEMLOCK); either outcome is fine, but a refusal must tell the
  // operator how to proceed.
  Status st = LockProcessMemory();
  if (st.ok()) {
    EXPECT_EQ(munlockall(), 0);
  } else {
    EXPECT_NE(st.message().find("disable_mlock = true"), std::string::npos) << st.ToString();
  }
}

}  // namespace
}  // namespace coffer::crypto
