#include "cli/flags.h"

#include <gtest/gtest.h>

namespace coffer::cli {
namespace {

const std::vector<FlagSpec> kSpecs = {
    {"policy", false, "", true},
    {"ttl", false, ""},
    {"orphan", true, ""},
};

TEST(FlagsTest, RepeatableFlagKeepsEveryValueInOrder) {
  auto f = ParseFlags({"-policy=a", "-policy", "b", "--policy=c,d", "x"}, kSpecs);
  ASSERT_TRUE(f.ok()) << f.status().message();
  EXPECT_EQ(f->GetAll("policy"), (std::vector<std::string>{"a", "b", "c,d"}));
  EXPECT_EQ(f->Get("policy"), "c,d");  // the last one, as before
  EXPECT_EQ(f->args, std::vector<std::string>{"x"});
}

TEST(FlagsTest, SingleFlagKeepsTheLastValue) {
  auto f = ParseFlags({"-ttl=1h", "-ttl=2h"}, kSpecs);
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->Get("ttl"), "2h");
  EXPECT_EQ(f->GetAll("ttl"), std::vector<std::string>{"2h"});
}

TEST(FlagsTest, GetAllOfAnAbsentFlagIsEmpty) {
  auto f = ParseFlags({}, kSpecs);
  ASSERT_TRUE(f.ok());
  EXPECT_TRUE(f->GetAll("policy").empty());
  EXPECT_FALSE(f->Has("policy"));
}

TEST(FlagsTest, BooleansAndPositionalsBehaveAsBefore) {
  auto f = ParseFlags({"-orphan", "-ttl", "5m", "--", "-not-a-flag"}, kSpecs);
  ASSERT_TRUE(f.ok());
  EXPECT_TRUE(f->GetBool("orphan"));
  EXPECT_EQ(f->Get("ttl"), "5m");
  EXPECT_EQ(f->args, std::vector<std::string>{"-not-a-flag"});
}

TEST(FlagsTest, LoneDashIsPositional) {
  auto f = ParseFlags({"name", "-"}, kSpecs);
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->args, (std::vector<std::string>{"name", "-"}));
}

TEST(FlagsTest, UnknownFlagAndMissingValueAreErrors) {
  EXPECT_FALSE(ParseFlags({"-nope"}, kSpecs).ok());
  EXPECT_FALSE(ParseFlags({"-policy"}, kSpecs).ok());
  EXPECT_FALSE(ParseFlags({"-orphan=maybe"}, kSpecs).ok());
}

}  // namespace
}  // namespace coffer::cli
