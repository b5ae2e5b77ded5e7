// Assertion helpers for Status and Result: `ASSERT_TRUE(IsOk(expr))` prints
// the failing status instead of just "false".
#pragma once

#include <gtest/gtest.h>

#include "base/status.h"

namespace coffer::storage::testing {

inline ::testing::AssertionResult IsOk(const Status& status) {
  if (status.ok()) {
    return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure() << status.ToString();
}

template <typename T>
::testing::AssertionResult IsOk(const Result<T>& result) {
  return IsOk(result.status());
}

inline ::testing::AssertionResult HasCode(const Status& status, Code code) {
  if (status.code() == code) {
    return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure() << "got " << (status.ok() ? "OK" : status.ToString())
                                       << ", want code " << static_cast<int>(code);
}

template <typename T>
::testing::AssertionResult HasCode(const Result<T>& result, Code code) {
  return HasCode(result.status(), code);
}

}  // namespace coffer::storage::testing
