// KV v2 version lifecycle: soft delete, undelete, destroy, max_versions
// trimming and delete_version_after.
#include <gtest/gtest.h>

#include "engines/engine_harness.h"

namespace coffer::engines::testing {
namespace {

using core::Operation;
using nlohmann::json;

json Data(json data) { return {{"data", std::move(data)}}; }

class KvV2VersionsTest : public ::testing::Test {
 protected:
  void WriteVersions(const std::string& key, int count) {
    for (int i = 1; i <= count; ++i) {
      kv_.MustCall(Operation::kUpdate, "data/" + key, Data({{"n", i}}));
      kv_.clock().Advance(std::chrono::seconds(1));
    }
  }

  // ReadStatus reads a version and returns the response (404 answers with
  // data carry http_status 404).
  Result<core::Response> ReadVersion(const std::string& key, int version) {
    return kv_.Call(Operation::kRead, "data/" + key, {{"version", version}});
  }

  EngineHarness kv_{"kv-v2"};
};

TEST_F(KvV2VersionsTest, DeleteLatestHidesItWith404AndMetadata) {
  WriteVersions("app", 2);
  kv_.MustCall(Operation::kDelete, "data/app");
  Result<core::Response> r = kv_.Call(Operation::kRead, "data/app");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->http_status, 404);
  EXPECT_TRUE(r->data["data"].is_null());
  EXPECT_EQ(r->data["metadata"]["version"], 2);
  EXPECT_EQ(r->data["metadata"]["deletion_time"], "2018-03-22T02:24:08.945319214Z");
  EXPECT_EQ(r->data["metadata"]["destroyed"], false);
  // The older version is still readable.
  EXPECT_EQ(ReadVersion("app", 1)->http_status, 200);
}

TEST_F(KvV2VersionsTest, DeleteChosenVersionsThenUndelete) {
  WriteVersions("app", 3);
  kv_.MustCall(Operation::kUpdate, "delete/app", {{"versions", {1, 2}}});
  EXPECT_EQ(ReadVersion("app", 1)->http_status, 404);
  EXPECT_EQ(ReadVersion("app", 2)->http_status, 404);
  EXPECT_EQ(ReadVersion("app", 3)->http_status, 200);

  kv_.MustCall(Operation::kUpdate, "undelete/app", {{"versions", "1"}});
  Result<core::Response> restored = ReadVersion("app", 1);
  ASSERT_TRUE(restored.ok());
  EXPECT_EQ(restored->http_status, 200);
  EXPECT_EQ(restored->data["data"], json({{"n", 1}}));
  EXPECT_EQ(restored->data["metadata"]["deletion_time"], "");
  EXPECT_EQ(ReadVersion("app", 2)->http_status, 404);
}

TEST_F(KvV2VersionsTest, DeleteAndDestroyNeedVersions) {
  WriteVersions("app", 1);
  Result<core::Response> r = kv_.Call(Operation::kUpdate, "delete/app", json::object());
  ASSERT_EQ(CodeOf(r), Code::kInvalidArgument);
  EXPECT_EQ(r.status().message(), "No version number provided");
  EXPECT_EQ(CodeOf(kv_.Call(Operation::kUpdate, "undelete/app", json::object())),
            Code::kInvalidArgument);
  EXPECT_EQ(CodeOf(kv_.Call(Operation::kUpdate, "destroy/app", json::object())),
            Code::kInvalidArgument);
  EXPECT_EQ(CodeOf(kv_.Call(Operation::kUpdate, "delete/app", {{"versions", "x"}})),
            Code::kInvalidArgument);
}

TEST_F(KvV2VersionsTest, DestroyedVersionIsGoneForGood) {
  WriteVersions("app", 2);
  kv_.MustCall(Operation::kUpdate, "destroy/app", {{"versions", {1}}});
  Result<core::Response> r = ReadVersion("app", 1);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->http_status, 404);
  EXPECT_TRUE(r->data["data"].is_null());
  EXPECT_EQ(r->data["metadata"]["destroyed"], true);
  // Undelete cannot bring it back, and its data is no longer stored.
  kv_.MustCall(Operation::kUpdate, "undelete/app", {{"versions", {1}}});
  EXPECT_EQ(ReadVersion("app", 1)->http_status, 404);
  EXPECT_EQ(kv_.storage().Get("versions/app/1").status().code(), Code::kNotFound);
  EXPECT_TRUE(kv_.storage().Get("versions/app/2").ok());
  EXPECT_EQ(kv_.MustCall(Operation::kRead, "metadata/app")["versions"]["1"]["destroyed"], true);
}

TEST_F(KvV2VersionsTest, OperationsOnMissingKeysAreNoOps) {
  kv_.MustCall(Operation::kDelete, "data/none");
  kv_.MustCall(Operation::kUpdate, "delete/none", {{"versions", {1}}});
  kv_.MustCall(Operation::kUpdate, "undelete/none", {{"versions", {1}}});
  kv_.MustCall(Operation::kUpdate, "destroy/none", {{"versions", {1}}});
  EXPECT_EQ(CodeOf(kv_.Call(Operation::kRead, "metadata/none")), Code::kNotFound);
}

TEST_F(KvV2VersionsTest, MountMaxVersionsTrimsOldest) {
  kv_.MustCall(Operation::kUpdate, "config", {{"max_versions", 2}});
  WriteVersions("app", 3);
  EXPECT_EQ(CodeOf(ReadVersion("app", 1)), Code::kNotFound);
  EXPECT_EQ(ReadVersion("app", 2)->http_status, 200);
  json meta = kv_.MustCall(Operation::kRead, "metadata/app");
  EXPECT_EQ(meta["current_version"], 3);
  EXPECT_EQ(meta["oldest_version"], 2);
  EXPECT_EQ(meta["versions"].size(), 2u);
  EXPECT_FALSE(meta["versions"].contains("1"));
  EXPECT_EQ(kv_.storage().Get("versions/app/1").status().code(), Code::kNotFound);
}

TEST_F(KvV2VersionsTest, KeyMaxVersionsOverridesMountAndLoweringItTrimsSeveral) {
  kv_.MustCall(Operation::kUpdate, "config", {{"max_versions", 2}});
  kv_.MustCall(Operation::kUpdate, "metadata/app", {{"max_versions", 5}});
  WriteVersions("app", 5);
  EXPECT_EQ(kv_.MustCall(Operation::kRead, "metadata/app")["versions"].size(), 5u);
  kv_.MustCall(Operation::kUpdate, "metadata/app", {{"max_versions", 1}});
  WriteVersions("app", 1);
  json meta = kv_.MustCall(Operation::kRead, "metadata/app");
  EXPECT_EQ(meta["versions"].size(), 1u);
  EXPECT_TRUE(meta["versions"].contains("6"));
  for (int v = 1; v <= 5; ++v) {
    EXPECT_EQ(kv_.storage().Get("versions/app/" + std::to_string(v)).status().code(),
              Code::kNotFound);
  }
}

TEST_F(KvV2VersionsTest, DefaultKeepsTenVersions) {
  WriteVersions("app", 12);
  json meta = kv_.MustCall(Operation::kRead, "metadata/app");
  EXPECT_EQ(meta["versions"].size(), 10u);
  EXPECT_EQ(meta["oldest_version"], 3);
}

TEST_F(KvV2VersionsTest, MountDeleteVersionAfterHidesOldVersions) {
  kv_.MustCall(Operation::kUpdate, "config", {{"delete_version_after", "1h"}});
  json written = kv_.MustCall(Operation::kUpdate, "data/app", Data({{"n", 1}}));
  EXPECT_EQ(written["deletion_time"], "2018-03-22T03:24:06.945319214Z");
  EXPECT_EQ(ReadVersion("app", 1)->http_status, 200);
  kv_.clock().Advance(std::chrono::minutes(61));
  EXPECT_EQ(ReadVersion("app", 1)->http_status, 404);
}

TEST_F(KvV2VersionsTest, ShorterKeyDeleteVersionAfterWins) {
  kv_.MustCall(Operation::kUpdate, "config", {{"delete_version_after", "1h"}});
  kv_.MustCall(Operation::kUpdate, "metadata/app", {{"delete_version_after", "10m"}});
  kv_.MustCall(Operation::kUpdate, "data/app", Data({{"n", 1}}));
  kv_.clock().Advance(std::chrono::minutes(11));
  EXPECT_EQ(ReadVersion("app", 1)->http_status, 404);
}

TEST_F(KvV2VersionsTest, NegativeMountDeleteVersionAfterDisablesIt) {
  kv_.MustCall(Operation::kUpdate, "metadata/app", {{"delete_version_after", "10m"}});
  kv_.MustCall(Operation::kUpdate, "config", {{"delete_version_after", "-1s"}});
  json written = kv_.MustCall(Operation::kUpdate, "data/app", Data({{"n", 1}}));
  EXPECT_EQ(written["deletion_time"], "");
  kv_.clock().Advance(std::chrono::hours(24));
  EXPECT_EQ(ReadVersion("app", 1)->http_status, 200);
}

TEST_F(KvV2VersionsTest, UndeleteRestartsDeleteVersionAfter) {
  kv_.MustCall(Operation::kUpdate, "config", {{"delete_version_after", "1h"}});
  kv_.MustCall(Operation::kUpdate, "data/app", Data({{"n", 1}}));
  kv_.clock().Advance(std::chrono::hours(2));
  EXPECT_EQ(ReadVersion("app", 1)->http_status, 404);
  kv_.MustCall(Operation::kUpdate, "undelete/app", {{"versions", {1}}});
  EXPECT_EQ(ReadVersion("app", 1)->http_status, 200);
  kv_.clock().Advance(std::chrono::minutes(61));
  EXPECT_EQ(ReadVersion("app", 1)->http_status, 404);
}

}  // namespace
}  // namespace coffer::engines::testing
