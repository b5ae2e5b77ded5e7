#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "status_testing.h"
#include "storage/backend.h"

namespace coffer::storage::testing {
namespace {

TEST(StorageRegistryTest, BuiltInBackendsAreRegisteredAndSorted) {
  std::vector<std::string> names = RegisteredBackends();
  EXPECT_TRUE(std::is_sorted(names.begin(), names.end()));
  EXPECT_NE(std::find(names.begin(), names.end(), "inmem"), names.end());
  EXPECT_NE(std::find(names.begin(), names.end(), "lmdb"), names.end());
}

TEST(StorageRegistryTest, OpenOfUnknownNameFailsNamingIt) {
  auto backend = OpenBackend("floppy", {});
  ASSERT_FALSE(backend.ok());
  EXPECT_TRUE(backend.status().IsInvalidArgument() || backend.status().IsNotFound());
  EXPECT_NE(backend.status().message().find("floppy"), std::string::npos)
      << backend.status().message();
}

Result<std::unique_ptr<Backend>> FailingFactory(const BackendConfig&) {
  return Status::Internal("should never be called");
}

TEST(StorageRegistryTest, DuplicateRegistrationIsRefusedAndFirstWins) {
  EXPECT_FALSE(RegisterBackend("inmem", &FailingFactory));
  auto backend = OpenBackend("inmem", {});
  ASSERT_TRUE(IsOk(backend));
  EXPECT_EQ((*backend)->Name(), "inmem");
}

TEST(StorageRegistryTest, NewBackendCanRegisterAndOpen) {
  ASSERT_TRUE(RegisterBackend("registry-test-failing", &FailingFactory));
  auto backend = OpenBackend("registry-test-failing", {});
  EXPECT_TRUE(HasCode(backend, Code::kInternal));
}

}  // namespace
}  // namespace coffer::storage::testing
