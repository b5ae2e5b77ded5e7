// KV version 1: unversioned secrets at the path itself.
#include <gtest/gtest.h>

#include "engines/engine_harness.h"

namespace coffer::engines::testing {
namespace {

using core::Operation;
using nlohmann::json;

TEST(KvV1Test, WriteThenReadReturnsTheObjectAsWritten) {
  EngineHarness kv("kv");
  json secret = {{"password", "hunter2"}, {"port", 5432}, {"nested", {{"a", true}}}};
  Result<core::Response> written = kv.Call(Operation::kCreate, "db/creds", secret);
  ASSERT_TRUE(written.ok());
  EXPECT_TRUE(written->data.is_null());  // 204
  EXPECT_EQ(kv.MustCall(Operation::kRead, "db/creds"), secret);
}

TEST(KvV1Test, WriteReplacesTheWholeSecret) {
  EngineHarness kv("kv");
  kv.MustCall(Operation::kUpdate, "app", {{"a", 1}, {"b", 2}});
  kv.MustCall(Operation::kUpdate, "app", {{"c", 3}});
  EXPECT_EQ(kv.MustCall(Operation::kRead, "app"), json({{"c", 3}}));
}

TEST(KvV1Test, ReadOfMissingKeyIsNotFound) {
  EngineHarness kv("kv");
  EXPECT_EQ(CodeOf(kv.Call(Operation::kRead, "missing")), Code::kNotFound);
}

TEST(KvV1Test, DeleteRemovesTheSecret) {
  EngineHarness kv("kv");
  kv.MustCall(Operation::kUpdate, "app", {{"a", 1}});
  kv.MustCall(Operation::kDelete, "app");
  EXPECT_EQ(CodeOf(kv.Call(Operation::kRead, "app")), Code::kNotFound);
  // Deleting again is fine, as in Vault.
  kv.MustCall(Operation::kDelete, "app");
}

TEST(KvV1Test, EmptyWriteIsRejected) {
  EngineHarness kv("kv");
  Result<core::Response> r = kv.Call(Operation::kUpdate, "app", json::object());
  EXPECT_EQ(CodeOf(r), Code::kInvalidArgument);
  EXPECT_EQ(CodeOf(kv.Call(Operation::kRead, "app")), Code::kNotFound);
}

TEST(KvV1Test, ListShowsOneLevelWithFolders) {
  EngineHarness kv("kv");
  kv.MustCall(Operation::kUpdate, "a", {{"v", 1}});
  kv.MustCall(Operation::kUpdate, "dir/b", {{"v", 1}});
  kv.MustCall(Operation::kUpdate, "dir/sub/c", {{"v", 1}});
  EXPECT_EQ(kv.MustCall(Operation::kList, ""), json({{"keys", {"a", "dir/"}}}));
  EXPECT_EQ(kv.MustCall(Operation::kList, "dir/"), json({{"keys", {"b", "sub/"}}}));
  // The Router may send a folder without its slash.
  EXPECT_EQ(kv.MustCall(Operation::kList, "dir"), json({{"keys", {"b", "sub/"}}}));
}

TEST(KvV1Test, ListOfEmptyFolderIsNotFound) {
  EngineHarness kv("kv");
  EXPECT_EQ(CodeOf(kv.Call(Operation::kList, "nothing/")), Code::kNotFound);
}

TEST(KvV1Test, TtlInTheSecretSetsLeaseDuration) {
  EngineHarness kv("kv");
  kv.MustCall(Operation::kUpdate, "cached", {{"v", 1}, {"ttl", "1h"}});
  Result<core::Response> r = kv.Call(Operation::kRead, "cached");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->lease_duration, 3600);
  EXPECT_EQ(r->data["ttl"], "1h");
}

TEST(KvV1Test, BadTtlIsRejected) {
  EngineHarness kv("kv");
  EXPECT_EQ(CodeOf(kv.Call(Operation::kUpdate, "x", {{"ttl", "soon"}})), Code::kInvalidArgument);
}

TEST(KvV1Test, BodyKeyNamedPathIsStored) {
  EngineHarness kv("kv");
  kv.MustCall(Operation::kUpdate, "x", {{"path", "/usr/bin"}});
  EXPECT_EQ(kv.MustCall(Operation::kRead, "x"), json({{"path", "/usr/bin"}}));
}

TEST(KvV1Test, ArbitraryKeysDrawNoWarning) {
  EngineHarness kv("kv");
  Result<core::Response> r = kv.Call(Operation::kUpdate, "x", {{"anything", 1}});
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->warnings.empty());
}

TEST(KvV1Test, ExistsTellsCreateFromUpdate) {
  EngineHarness kv("kv");
  EXPECT_FALSE(*kv.Exists("x"));
  kv.MustCall(Operation::kUpdate, "x", {{"a", 1}});
  EXPECT_TRUE(*kv.Exists("x"));
}

}  // namespace
}  // namespace coffer::engines::testing
