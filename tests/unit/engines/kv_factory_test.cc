// The "kv" and "kv-v2" registrations pick the KV version as Vault does.
#include <gtest/gtest.h>

#include "core/engine.h"
#include "engines/engine_harness.h"

namespace coffer::engines::testing {
namespace {

using core::Operation;

TEST(KvFactoryTest, KvWithoutVersionIsVersionOne) {
  EngineHarness kv("kv");
  // v1 stores at the path itself; v2 would refuse "foo" as an invalid path.
  kv.MustCall(Operation::kUpdate, "foo", {{"a", "b"}});
  EXPECT_EQ(kv.MustCall(Operation::kRead, "foo"), nlohmann::json({{"a", "b"}}));
}

TEST(KvFactoryTest, KvVersionTwoAndKvV2AreVersioned) {
  EngineHarness kv("kv", {{"version", "2"}});
  EngineHarness kv_v2("kv-v2");
  for (EngineHarness* harness : {&kv, &kv_v2}) {
    nlohmann::json written =
        harness->MustCall(Operation::kUpdate, "data/foo", {{"data", {{"a", 1}}}});
    EXPECT_EQ(written["version"], 1);
    EXPECT_EQ(harness->engine().Type(), "kv");
  }
}

TEST(KvFactoryTest, UnknownVersionIsRefused) {
  Result<std::unique_ptr<core::Engine>> engine =
      core::CreateEngine({"kv", "secret/", {{"version", "3"}}});
  ASSERT_FALSE(engine.ok());
  EXPECT_EQ(engine.status().code(), Code::kInvalidArgument);
}

TEST(KvFactoryTest, EnginesAreRegistered) {
  std::vector<std::string> types = core::RegisteredEngines();
  for (const char* type : {"cubbyhole", "kv", "kv-v2"}) {
    EXPECT_NE(std::find(types.begin(), types.end(), type), types.end()) << type;
  }
}

}  // namespace
}  // namespace coffer::engines::testing
