#include "core/health.h"

#include <gtest/gtest.h>

namespace coffer::core {
namespace {

NodeState Active() {
  NodeState s;
  s.initialized = true;
  s.sealed = false;
  return s;
}

TEST(HealthStatusCodeTest, DefaultsFollowVault) {
  NodeState uninit;
  EXPECT_EQ(*HealthStatusCode(uninit, {}), 501);
  NodeState sealed;
  sealed.initialized = true;
  EXPECT_EQ(*HealthStatusCode(sealed, {}), 503);
  EXPECT_EQ(*HealthStatusCode(Active(), {}), 200);
  NodeState standby = Active();
  standby.standby = true;
  EXPECT_EQ(*HealthStatusCode(standby, {}), 429);
  NodeState perf = Active();
  perf.performance_standby = true;
  EXPECT_EQ(*HealthStatusCode(perf, {}), 473);
  NodeState dr = Active();
  dr.dr_secondary = true;
  EXPECT_EQ(*HealthStatusCode(dr, {}), 472);
}

TEST(HealthStatusCodeTest, StandbyOkAnswersWithTheActiveCode) {
  NodeState standby = Active();
  standby.standby = true;
  EXPECT_EQ(*HealthStatusCode(standby, {{"standbyok", "true"}}), 200);
  EXPECT_EQ(*HealthStatusCode(standby, {{"standbyok", ""}}), 200);
  EXPECT_EQ(*HealthStatusCode(standby, {{"standbyok", "true"}, {"activecode", "204"}}), 204);
  NodeState perf = Active();
  perf.performance_standby = true;
  EXPECT_EQ(*HealthStatusCode(perf, {{"perfstandbyok", "true"}}), 200);
}

TEST(HealthStatusCodeTest, CodeOptionsOverrideEachState) {
  NodeState uninit;
  EXPECT_EQ(*HealthStatusCode(uninit, {{"uninitcode", "200"}}), 200);
  NodeState sealed;
  sealed.initialized = true;
  EXPECT_EQ(*HealthStatusCode(sealed, {{"sealedcode", "299"}}), 299);
  EXPECT_EQ(*HealthStatusCode(Active(), {{"activecode", "201"}}), 201);
  NodeState standby = Active();
  standby.standby = true;
  EXPECT_EQ(*HealthStatusCode(standby, {{"standbycode", "200"}}), 200);
  NodeState dr = Active();
  dr.dr_secondary = true;
  EXPECT_EQ(*HealthStatusCode(dr, {{"drsecondarycode", "200"}}), 200);
  NodeState perf = Active();
  perf.performance_standby = true;
  EXPECT_EQ(*HealthStatusCode(perf, {{"performancestandbycode", "200"}}), 200);
}

TEST(HealthStatusCodeTest, MalformedOptionsAreInvalidArguments) {
  EXPECT_TRUE(HealthStatusCode(Active(), {{"activecode", "abc"}}).status().IsInvalidArgument());
  EXPECT_TRUE(HealthStatusCode(Active(), {{"activecode", "99"}}).status().IsInvalidArgument());
  EXPECT_TRUE(HealthStatusCode(Active(), {{"sealedcode", "12x"}}).status().IsInvalidArgument());
  EXPECT_TRUE(HealthStatusCode(Active(), {{"standbyok", "maybe"}}).status().IsInvalidArgument());
}

}  // namespace
}  // namespace coffer::core
