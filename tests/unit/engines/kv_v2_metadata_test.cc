// KV v2 metadata/<path>: read, write, patch, delete, custom_metadata.
#include <gtest/gtest.h>

#include "engines/engine_harness.h"

namespace coffer::engines::testing {
namespace {

using core::Operation;
using nlohmann::json;

json Data(json data) { return {{"data", std::move(data)}}; }

class KvV2MetadataTest : public ::testing::Test {
 protected:
  EngineHarness kv_{"kv-v2"};
};

TEST_F(KvV2MetadataTest, ReadHasVaultShape) {
  kv_.MustCall(Operation::kUpdate, "data/app", Data({{"n", 1}}));
  kv_.clock().Advance(std::chrono::seconds(2));
  kv_.MustCall(Operation::kUpdate, "data/app", Data({{"n", 2}}));
  json meta = kv_.MustCall(Operation::kRead, "metadata/app");
  EXPECT_EQ(meta, json({{"cas_required", false},
                        {"created_time", "2018-03-22T02:24:06.945319214Z"},
                        {"current_version", 2},
                        {"custom_metadata", nullptr},
                        {"delete_version_after", "0s"},
                        {"max_versions", 0},
                        {"oldest_version", 0},
                        {"updated_time", "2018-03-22T02:24:08.945319214Z"},
                        {"versions",
                         {{"1",
                           {{"created_time", "2018-03-22T02:24:06.945319214Z"},
                            {"deletion_time", ""},
                            {"destroyed", false}}},
                          {"2",
                           {{"created_time", "2018-03-22T02:24:08.945319214Z"},
                            {"deletion_time", ""},
                            {"destroyed", false}}}}}}));
}

TEST_F(KvV2MetadataTest, WriteCreatesMetadataBeforeAnyVersion) {
  kv_.MustCall(Operation::kUpdate, "metadata/app",
               {{"max_versions", "3"},
                {"cas_required", "true"},
                {"delete_version_after", "3h25m19s"},
                {"custom_metadata", {{"owner", "jane"}, {"tier", 1}}}});
  json meta = kv_.MustCall(Operation::kRead, "metadata/app");
  EXPECT_EQ(meta["max_versions"], 3);
  EXPECT_EQ(meta["cas_required"], true);
  EXPECT_EQ(meta["delete_version_after"], "3h25m19s");
  EXPECT_EQ(meta["custom_metadata"], json({{"owner", "jane"}, {"tier", "1"}}));
  EXPECT_EQ(meta["current_version"], 0);
  EXPECT_EQ(meta["versions"], json::object());
  EXPECT_EQ(meta["created_time"], "2018-03-22T02:24:06.945319214Z");
}

TEST_F(KvV2MetadataTest, CustomMetadataShowsInDataResponses) {
  kv_.MustCall(Operation::kUpdate, "metadata/app", {{"custom_metadata", {{"owner", "jane"}}}});
  json written = kv_.MustCall(Operation::kUpdate, "data/app", Data({{"n", 1}}));
  EXPECT_EQ(written["custom_metadata"], json({{"owner", "jane"}}));
  EXPECT_EQ(kv_.MustCall(Operation::kRead, "data/app")["metadata"]["custom_metadata"],
            json({{"owner", "jane"}}));
}

TEST_F(KvV2MetadataTest, WriteReplacesCustomMetadataWhole) {
  kv_.MustCall(Operation::kUpdate, "metadata/app", {{"custom_metadata", {{"a", "1"}, {"b", "2"}}}});
  kv_.MustCall(Operation::kUpdate, "metadata/app", {{"custom_metadata", {{"c", "3"}}}});
  EXPECT_EQ(kv_.MustCall(Operation::kRead, "metadata/app")["custom_metadata"], json({{"c", "3"}}));
  // A write without custom_metadata keeps it.
  kv_.MustCall(Operation::kUpdate, "metadata/app", {{"max_versions", 4}});
  EXPECT_EQ(kv_.MustCall(Operation::kRead, "metadata/app")["custom_metadata"], json({{"c", "3"}}));
}

TEST_F(KvV2MetadataTest, PatchMergesCustomMetadataAndNullRemoves) {
  kv_.MustCall(Operation::kUpdate, "metadata/app",
               {{"max_versions", 5}, {"custom_metadata", {{"a", "1"}, {"b", "2"}}}});
  kv_.MustCall(Operation::kPatch, "metadata/app",
               {{"cas_required", true}, {"custom_metadata", {{"b", nullptr}, {"c", "3"}}}});
  json meta = kv_.MustCall(Operation::kRead, "metadata/app");
  EXPECT_EQ(meta["custom_metadata"], json({{"a", "1"}, {"c", "3"}}));
  EXPECT_EQ(meta["max_versions"], 5);
  EXPECT_EQ(meta["cas_required"], true);
}

TEST_F(KvV2MetadataTest, PatchOfMissingKeyIsNotFound) {
  EXPECT_EQ(CodeOf(kv_.Call(Operation::kPatch, "metadata/none", {{"max_versions", 1}})),
            Code::kNotFound);
}

TEST_F(KvV2MetadataTest, BadCustomMetadataIsRejected) {
  Result<core::Response> r =
      kv_.Call(Operation::kUpdate, "metadata/app", {{"custom_metadata", {{"empty", ""}}}});
  ASSERT_EQ(CodeOf(r), Code::kInvalidArgument);
  EXPECT_EQ(r.status().message().rfind("custom_metadata validation failed", 0), 0u);
  json too_many = json::object();
  for (int i = 0; i < 65; ++i) {
    too_many["k" + std::to_string(i)] = "v";
  }
  EXPECT_EQ(CodeOf(kv_.Call(Operation::kUpdate, "metadata/app", {{"custom_metadata", too_many}})),
            Code::kInvalidArgument);
  EXPECT_EQ(CodeOf(kv_.Call(Operation::kUpdate, "metadata/app",
                            {{"custom_metadata", {{"k", {{"nested", 1}}}}}})),
            Code::kInvalidArgument);
  EXPECT_EQ(CodeOf(kv_.Call(Operation::kRead, "metadata/app")), Code::kNotFound);
}

TEST_F(KvV2MetadataTest, BadSettingsAreRejected) {
  EXPECT_EQ(CodeOf(kv_.Call(Operation::kUpdate, "metadata/app", {{"max_versions", -1}})),
            Code::kInvalidArgument);
  EXPECT_EQ(CodeOf(kv_.Call(Operation::kUpdate, "metadata/app", {{"delete_version_after", "-1h"}})),
            Code::kInvalidArgument);
  EXPECT_EQ(CodeOf(kv_.Call(Operation::kUpdate, "metadata/app", {{"cas_required", "maybe"}})),
            Code::kInvalidArgument);
}

TEST_F(KvV2MetadataTest, CasRequiredFalseUnderMountRuleDrawsWarning) {
  kv_.MustCall(Operation::kUpdate, "config", {{"cas_required", true}});
  Result<core::Response> r =
      kv_.Call(Operation::kUpdate, "metadata/app", {{"cas_required", false}});
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->warnings.size(), 1u);
  EXPECT_NE(r->warnings[0].find("mandated by backend config"), std::string::npos);
}

TEST_F(KvV2MetadataTest, DeleteRemovesKeyAndAllVersions) {
  kv_.MustCall(Operation::kUpdate, "data/app", Data({{"n", 1}}));
  kv_.MustCall(Operation::kUpdate, "data/app", Data({{"n", 2}}));
  kv_.MustCall(Operation::kDelete, "metadata/app");
  EXPECT_EQ(CodeOf(kv_.Call(Operation::kRead, "metadata/app")), Code::kNotFound);
  EXPECT_EQ(CodeOf(kv_.Call(Operation::kRead, "data/app")), Code::kNotFound);
  EXPECT_EQ(kv_.storage().Get("versions/app/1").status().code(), Code::kNotFound);
  EXPECT_EQ(kv_.storage().Get("versions/app/2").status().code(), Code::kNotFound);
  // A new write starts again at version 1.
  EXPECT_EQ(kv_.MustCall(Operation::kUpdate, "data/app", Data({{"n", 3}}))["version"], 1);
}

}  // namespace
}  // namespace coffer::engines::testing
