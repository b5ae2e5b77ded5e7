// cubbyhole: per-token private KV.
#include <gtest/gtest.h>

#include "engines/engine_harness.h"

namespace coffer::engines::testing {
namespace {

using core::Operation;
using nlohmann::json;

TEST(CubbyholeTest, OwnerReadsBackItsSecret) {
  EngineHarness cubby("cubbyhole");
  cubby.MustCall(Operation::kUpdate, "token", {{"value", "s3cret"}}, "client-a");
  EXPECT_EQ(cubby.MustCall(Operation::kRead, "token", {}, "client-a"),
            json({{"value", "s3cret"}}));
}

TEST(CubbyholeTest, AnotherTokenCannotSeeOrTouchIt) {
  EngineHarness cubby("cubbyhole");
  cubby.MustCall(Operation::kUpdate, "token", {{"value", "a"}}, "client-a");
  EXPECT_EQ(CodeOf(cubby.Call(Operation::kRead, "token", {}, "client-b")), Code::kNotFound);
  EXPECT_EQ(CodeOf(cubby.Call(Operation::kList, "", {}, "client-b")), Code::kNotFound);
  // B's write and delete of the same name touch only B's cubbyhole.
  cubby.MustCall(Operation::kUpdate, "token", {{"value", "b"}}, "client-b");
  cubby.MustCall(Operation::kDelete, "token", {}, "client-b");
  EXPECT_EQ(cubby.MustCall(Operation::kRead, "token", {}, "client-a"), json({{"value", "a"}}));
}

TEST(CubbyholeTest, ListShowsOnlyTheCallersKeys) {
  EngineHarness cubby("cubbyhole");
  cubby.MustCall(Operation::kUpdate, "x", {{"v", 1}}, "client-a");
  cubby.MustCall(Operation::kUpdate, "dir/y", {{"v", 1}}, "client-a");
  cubby.MustCall(Operation::kUpdate, "z", {{"v", 1}}, "client-b");
  EXPECT_EQ(cubby.MustCall(Operation::kList, "", {}, "client-a"), json({{"keys", {"dir/", "x"}}}));
  EXPECT_EQ(cubby.MustCall(Operation::kList, "dir/", {}, "client-a"), json({{"keys", {"y"}}}));
  EXPECT_EQ(cubby.MustCall(Operation::kList, "", {}, "client-b"), json({{"keys", {"z"}}}));
}

TEST(CubbyholeTest, EmptyClientIdIsPermissionDenied) {
  EngineHarness cubby("cubbyhole");
  EXPECT_EQ(CodeOf(cubby.Call(Operation::kUpdate, "x", {{"v", 1}}, "")), Code::kPermissionDenied);
  EXPECT_EQ(CodeOf(cubby.Call(Operation::kRead, "x", {}, "")), Code::kPermissionDenied);
  EXPECT_EQ(CodeOf(cubby.Call(Operation::kList, "", {}, "")), Code::kPermissionDenied);
}

TEST(CubbyholeTest, ClientIdWithSlashCannotReachIntoAnotherPrefix) {
  EngineHarness cubby("cubbyhole");
  cubby.MustCall(Operation::kUpdate, "b/x", {{"v", 1}}, "a");
  EXPECT_EQ(CodeOf(cubby.Call(Operation::kRead, "x", {}, "a/b")), Code::kPermissionDenied);
}

TEST(CubbyholeTest, EmptyWriteIsRejected) {
  EngineHarness cubby("cubbyhole");
  EXPECT_EQ(CodeOf(cubby.Call(Operation::kUpdate, "x", json::object(), "a")),
            Code::kInvalidArgument);
}

TEST(CubbyholeTest, DataLivesUnderTheClientPrefix) {
  EngineHarness cubby("cubbyhole");
  cubby.MustCall(Operation::kUpdate, "x", {{"v", 1}}, "client-a");
  EXPECT_TRUE(cubby.storage().Get("client-a/x").ok());
}

TEST(CubbyholeTest, ExistsIsPerClient) {
  EngineHarness cubby("cubbyhole");
  cubby.MustCall(Operation::kUpdate, "x", {{"v", 1}}, "client-a");
  EXPECT_TRUE(*cubby.Exists("x", {}, "client-a"));
  EXPECT_FALSE(*cubby.Exists("x", {}, "client-b"));
}

}  // namespace
}  // namespace coffer::engines::testing
