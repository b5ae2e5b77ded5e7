// The storage::Backend conformance suite: every backend must pass it.
//
// A backend's test file instantiates the suite with a factory that makes a
// fresh, empty store for each test:
//
//   INSTANTIATE_TEST_SUITE_P(Lmdb, BackendConformanceTest,
//       ::testing::Values(BackendParam{"lmdb", &MakeLmdbHarness}),
//       BackendParamName);
//
// Each TEST_P in conformance.cc checks one guarantee of backend.h's contract.
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <ostream>
#include <string>

#include "storage/backend.h"

namespace coffer::storage::testing {

// BackendHarness owns one fresh backend and whatever it needs (a temp dir,
// a database schema...); destroying it closes the backend, then cleans up.
class BackendHarness {
 public:
  virtual ~BackendHarness() = default;
  virtual Backend& backend() = 0;
};

struct BackendParam {
  std::string name;  // a gtest-safe identifier: letters, digits, '_'
  // make returns a harness, or nullptr after recording a gtest failure.
  std::function<std::unique_ptr<BackendHarness>()> make;
};

// BackendParamName names instantiated tests after BackendParam::name.
std::string BackendParamName(const ::testing::TestParamInfo<BackendParam>& info);

// PrintTo keeps gtest from dumping the std::function's bytes in messages.
void PrintTo(const BackendParam& param, std::ostream* os);

class BackendConformanceTest : public ::testing::TestWithParam<BackendParam> {
 protected:
  void SetUp() override;
  void TearDown() override { harness_.reset(); }
  Backend& backend() { return harness_->backend(); }

 private:
  std::unique_ptr<BackendHarness> harness_;
};

}  // namespace coffer::storage::testing
