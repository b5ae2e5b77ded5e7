#include "core/framework/time_format.h"

#include <gtest/gtest.h>

namespace coffer::core::framework {
namespace {

TEST(TimeFormatTest, Rfc3339NanoKeepsSignificantFractionDigits) {
  // 2018-03-22T02:24:06Z is 1521685446.
  EXPECT_EQ(FormatRfc3339Nano(1521685446LL * 1000000000 + 945319214),
            "2018-03-22T02:24:06.945319214Z");
  EXPECT_EQ(FormatRfc3339Nano(1521685446LL * 1000000000 + 945000000),
            "2018-03-22T02:24:06.945Z");
  EXPECT_EQ(FormatRfc3339Nano(1521685446LL * 1000000000), "2018-03-22T02:24:06Z");
}

TEST(TimeFormatTest, GoDurationStringShapes) {
  EXPECT_EQ(FormatGoDuration(0), "0s");
  EXPECT_EQ(FormatGoDuration(45), "45s");
  EXPECT_EQ(FormatGoDuration(90), "1m30s");
  EXPECT_EQ(FormatGoDuration(3600), "1h0m0s");
  EXPECT_EQ(FormatGoDuration(3 * 3600 + 5), "3h0m5s");
  EXPECT_EQ(FormatGoDuration(-1), "-1s");
}

}  // namespace
}  // namespace coffer::core::framework
