// KV v2 config: the mount-wide defaults.
#include <gtest/gtest.h>

#include "engines/engine_harness.h"

namespace coffer::engines::testing {
namespace {

using core::Operation;
using nlohmann::json;

TEST(KvV2ConfigTest, DefaultsReadAsVaultShowsThem) {
  EngineHarness kv("kv-v2");
  EXPECT_EQ(kv.MustCall(Operation::kRead, "config"),
            json({{"cas_required", false}, {"delete_version_after", "0s"}, {"max_versions", 0}}));
}

TEST(KvV2ConfigTest, WriteThenReadBack) {
  EngineHarness kv("kv-v2");
  kv.MustCall(Operation::kUpdate, "config",
              {{"max_versions", 7}, {"cas_required", true}, {"delete_version_after", "1h"}});
  EXPECT_EQ(kv.MustCall(Operation::kRead, "config"),
            json({{"cas_required", true}, {"delete_version_after", "1h0m0s"}, {"max_versions", 7}}));
  // A partial write keeps the other settings; zero clears the duration.
  kv.MustCall(Operation::kUpdate, "config", {{"delete_version_after", 0}});
  EXPECT_EQ(kv.MustCall(Operation::kRead, "config"),
            json({{"cas_required", true}, {"delete_version_after", "0s"}, {"max_versions", 7}}));
}

TEST(KvV2ConfigTest, NegativeDeleteVersionAfterReadsAsDisabled) {
  EngineHarness kv("kv-v2");
  kv.MustCall(Operation::kUpdate, "config", {{"delete_version_after", "-5m"}});
  EXPECT_EQ(kv.MustCall(Operation::kRead, "config")["delete_version_after"], "-1s");
}

TEST(KvV2ConfigTest, BadValuesAreRejectedAndChangeNothing) {
  EngineHarness kv("kv-v2");
  EXPECT_EQ(CodeOf(kv.Call(Operation::kUpdate, "config", {{"max_versions", "many"}})),
            Code::kInvalidArgument);
  EXPECT_EQ(CodeOf(kv.Call(Operation::kUpdate, "config", {{"max_versions", -2}})),
            Code::kInvalidArgument);
  EXPECT_EQ(kv.MustCall(Operation::kRead, "config")["max_versions"], 0);
}

TEST(KvV2ConfigTest, ConfigDoesNotList) {
  EngineHarness kv("kv-v2");
  EXPECT_EQ(CodeOf(kv.Call(Operation::kList, "config")), Code::kUnsupported);
}

}  // namespace
}  // namespace coffer::engines::testing
