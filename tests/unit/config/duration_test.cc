#include <gtest/gtest.h>

#include <string>

#include "config/server_config.h"

namespace coffer::config {
namespace {

int64_t Seconds(const std::string& text) {
  Result<int64_t> r = ParseDurationSeconds(text);
  EXPECT_TRUE(r.ok()) << text << ": " << r.status().ToString();
  return r.ok() ? *r : -1;
}

bool Fails(const std::string& text) {
  Result<int64_t> r = ParseDurationSeconds(text);
  if (r.ok()) {
    return false;
  }
  EXPECT_TRUE(r.status().IsInvalidArgument());
  return true;
}

TEST(ParseDurationSeconds, BareIntegerIsSeconds) {
  EXPECT_EQ(Seconds("0"), 0);
  EXPECT_EQ(Seconds("3600"), 3600);
  EXPECT_EQ(Seconds(" 42 "), 42);
}

TEST(ParseDurationSeconds, SingleUnits) {
  EXPECT_EQ(Seconds("10s"), 10);
  EXPECT_EQ(Seconds("30m"), 1800);
  EXPECT_EQ(Seconds("768h"), 768 * 3600);
  EXPECT_EQ(Seconds("1d"), 86400);
}

TEST(ParseDurationSeconds, SequencesAdd) {
  EXPECT_EQ(Seconds("1h30m"), 5400);
  EXPECT_EQ(Seconds("1d2h3m4s"), 86400 + 7200 + 180 + 4);
  EXPECT_EQ(Seconds("1m1m"), 120);
}

TEST(ParseDurationSeconds, FractionsAndSubSecondUnitsTruncate) {
  EXPECT_EQ(Seconds("1.5h"), 5400);
  EXPECT_EQ(Seconds(".5m"), 30);
  EXPECT_EQ(Seconds("1500ms"), 1);
  EXPECT_EQ(Seconds("999ms"), 0);
  EXPECT_EQ(Seconds("500ms500ms"), 1);
  EXPECT_EQ(Seconds("2000000000ns"), 2);
  EXPECT_EQ(Seconds("3000000us"), 3);
  EXPECT_EQ(Seconds("3000000\xC2\xB5s"), 3);
  EXPECT_EQ(Seconds("+5s"), 5);
}

TEST(ParseDurationSeconds, MalformedInputFails) {
  EXPECT_TRUE(Fails(""));
  EXPECT_TRUE(Fails("   "));
  EXPECT_TRUE(Fails("-5"));
  EXPECT_TRUE(Fails("-1h"));
  EXPECT_TRUE(Fails("h"));
  EXPECT_TRUE(Fails("5x"));
  EXPECT_TRUE(Fails("1h30"));
  EXPECT_TRUE(Fails("1.2.3s"));
  EXPECT_TRUE(Fails("1 h"));
  EXPECT_TRUE(Fails("."));
  EXPECT_TRUE(Fails("1e5s"));
}

TEST(ParseDurationSeconds, UnknownUnitIsNamed) {
  Result<int64_t> r = ParseDurationSeconds("5w");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("unknown unit \"w\""), std::string::npos)
      << r.status().message();
}

TEST(ParseDurationSeconds, OverflowFailsInsteadOfWrapping) {
  EXPECT_TRUE(Fails("99999999999999999999"));
  EXPECT_TRUE(Fails("9999999999999999999h"));
  EXPECT_TRUE(Fails("106751991167301d"));
  EXPECT_TRUE(Fails("9223372036854775807s1s"));
  EXPECT_EQ(Seconds("9223372036854775807s"), INT64_MAX);
}

}  // namespace
}  // namespace coffer::config
