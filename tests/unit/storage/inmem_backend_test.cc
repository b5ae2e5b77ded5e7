#include <gtest/gtest.h>

#include "conformance.h"
#include "status_testing.h"
#include "storage/backend.h"

namespace coffer::storage::testing {
namespace {

class InmemHarness final : public BackendHarness {
 public:
  explicit InmemHarness(std::unique_ptr<Backend> backend) : backend_(std::move(backend)) {}
  Backend& backend() override { return *backend_; }

 private:
  std::unique_ptr<Backend> backend_;
};

std::unique_ptr<BackendHarness> MakeInmemHarness() {
  auto backend = OpenBackend("inmem", {});
  EXPECT_TRUE(IsOk(backend));
  if (!backend.ok()) {
    return nullptr;
  }
  return std::make_unique<InmemHarness>(std::move(backend).value());
}

INSTANTIATE_TEST_SUITE_P(Inmem, BackendConformanceTest,
                         ::testing::Values(BackendParam{"inmem", &MakeInmemHarness}),
                         BackendParamName);

TEST(InmemBackendTest, NameIsInmem) {
  auto backend = OpenBackend("inmem", {});
  ASSERT_TRUE(IsOk(backend));
  EXPECT_EQ((*backend)->Name(), "inmem");
}

TEST(InmemBackendTest, AnyParameterIsRejectedByName) {
  auto backend = OpenBackend("inmem", {{"path", "/tmp/x"}});
  ASSERT_TRUE(HasCode(backend, Code::kInvalidArgument));
  EXPECT_NE(backend.status().message().find("\"path\""), std::string::npos)
      << backend.status().message();
}

}  // namespace
}  // namespace coffer::storage::testing
