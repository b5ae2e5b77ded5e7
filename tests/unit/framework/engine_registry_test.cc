#include <algorithm>

#include <gtest/gtest.h>

#include "core/engine.h"

namespace coffer::core {
namespace {

class NamedEngine : public Engine {
 public:
  Result<Response> Handle(const EngineRequest&) override { return Response::NoContent(); }
  Result<bool> Exists(const EngineRequest&) override { return true; }
  std::string_view Type() const override { return "registry-test"; }
};

Result<std::unique_ptr<Engine>> MakeNamed(const EngineConfig&) {
  return std::unique_ptr<Engine>(new NamedEngine());
}

COFFER_REGISTER_ENGINE("registry-test", &MakeNamed);

TEST(EngineRegistryTest, RegisteredFactoryCreatesEngine) {
  Result<std::unique_ptr<Engine>> engine = CreateEngine({"registry-test", "x/", {}});
  ASSERT_TRUE(engine.ok());
  EXPECT_EQ((*engine)->Type(), "registry-test");
  std::vector<std::string> types = RegisteredEngines();
  EXPECT_NE(std::find(types.begin(), types.end(), "registry-test"), types.end());
}

TEST(EngineRegistryTest, UnknownTypeIsInvalidArgument) {
  Result<std::unique_ptr<Engine>> engine = CreateEngine({"no-such-engine", "x/", {}});
  ASSERT_FALSE(engine.ok());
  EXPECT_EQ(engine.status().code(), Code::kInvalidArgument);
}

TEST(EngineRegistryTest, SecondRegistrationOfATypeIsRefused) {
  EXPECT_FALSE(RegisterEngine("registry-test", &MakeNamed));
}

}  // namespace
}  // namespace coffer::core
