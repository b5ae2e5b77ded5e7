#include "cli/kv_paths.h"

#include <gtest/gtest.h>

namespace coffer::cli {
namespace {

using nlohmann::json;

const KvMount kV2{"secret/", 2};
const KvMount kV1{"kv/", 1};

TEST(KvPathsTest, PathJoinCleansLikeGo) {
  EXPECT_EQ(PathJoin("secret/", "data", "foo"), "secret/data/foo");
  EXPECT_EQ(PathJoin("secret/", "data"), "secret/data");
  EXPECT_EQ(PathJoin("a//b/", "", "c/"), "a/b/c");
  EXPECT_EQ(PathJoin("a/./b", "../c"), "a/c");
  EXPECT_EQ(PathJoin("", ""), "");
}

TEST(KvPathsTest, PrefixGoesAfterTheMount) {
  EXPECT_EQ(AddPrefixToKvPath("secret/foo", "secret/", "data"), "secret/data/foo");
  EXPECT_EQ(AddPrefixToKvPath("secret/a/b/c", "secret/", "metadata"), "secret/metadata/a/b/c");
  EXPECT_EQ(AddPrefixToKvPath("team/app/db", "team/app/", "destroy"), "team/app/destroy/db");
}

TEST(KvPathsTest, TheMountAloneGetsJustThePrefix) {
  EXPECT_EQ(AddPrefixToKvPath("secret", "secret/", "metadata"), "secret/metadata");
  EXPECT_EQ(AddPrefixToKvPath("secret/", "secret/", "data"), "secret/data");
}

TEST(KvPathsTest, MountWithANamespaceThePathLeavesOut) {
  EXPECT_EQ(AddPrefixToKvPath("secret/foo", "ns1/secret/", "data"), "secret/data/foo");
}

TEST(KvPathsTest, V2FullPathSyntax) {
  KvTarget t = MakeKvTarget("", "/secret/foo/", kV2);
  EXPECT_EQ(t.ApiPath("data"), "secret/data/foo");
  EXPECT_EQ(t.ApiPath("metadata"), "secret/metadata/foo");
  EXPECT_EQ(t.ApiPath("delete"), "secret/delete/foo");
  EXPECT_EQ(t.ApiPath("undelete"), "secret/undelete/foo");
  EXPECT_EQ(t.ApiPath("destroy"), "secret/destroy/foo");
}

TEST(KvPathsTest, V2MountFlagSyntax) {
  KvTarget t = MakeKvTarget("secret", "app/config", kV2);
  EXPECT_TRUE(t.mount_flag);
  EXPECT_EQ(t.ApiPath("data"), "secret/data/app/config");
  EXPECT_EQ(t.ApiPath("metadata"), "secret/metadata/app/config");
}

TEST(KvPathsTest, V2MountFlagWithEmptyPathListsTheMount) {
  KvTarget t = MakeKvTarget("secret", "", kV2);
  EXPECT_EQ(t.ApiPath("metadata"), "secret/metadata");
}

TEST(KvPathsTest, V1FullPathIsUnchanged) {
  KvTarget t = MakeKvTarget("", "kv/foo/bar", kV1);
  EXPECT_EQ(t.ApiPath("data"), "kv/foo/bar");
  EXPECT_EQ(t.ApiPath("metadata"), "kv/foo/bar");
}

TEST(KvPathsTest, V1MountFlagJoinsTheMount) {
  KvTarget t = MakeKvTarget("kv", "foo/bar", kV1);
  EXPECT_EQ(t.ApiPath("data"), "kv/foo/bar");
}

TEST(KvPathsTest, UiMountsAnswerGivesPathAndVersion) {
  const json v2 = {{"data", {{"path", "secret/"}, {"type", "kv"}, {"options", {{"version", "2"}}}}}};
  KvMount m = KvMountFromUiMounts(v2);
  EXPECT_EQ(m.path, "secret/");
  EXPECT_EQ(m.version, 2);
  const json v1 = {{"data", {{"path", "kv/"}, {"type", "kv"}, {"options", nullptr}}}};
  EXPECT_EQ(KvMountFromUiMounts(v1).version, 1);
  const json numeric = {{"data", {{"path", "x/"}, {"options", {{"version", 2}}}}}};
  EXPECT_EQ(KvMountFromUiMounts(numeric).version, 2);
}

TEST(KvPathsTest, MountTableFallbackTakesTheLongestPrefix) {
  const json mounts = {{"data",
                        {{"secret/", {{"type", "kv"}, {"options", {{"version", "2"}}}}},
                         {"secret/team/", {{"type", "kv"}, {"options", {{"version", "1"}}}}},
                         {"sys/", {{"type", "system"}}}}}};
  auto m = KvMountFromMountTable(mounts, "secret/team/app");
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->path, "secret/team/");
  EXPECT_EQ(m->version, 1);
  m = KvMountFromMountTable(mounts, "secret/other");
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->path, "secret/");
  EXPECT_EQ(m->version, 2);
  m = KvMountFromMountTable(mounts, "secret");
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->path, "secret/");
  EXPECT_FALSE(KvMountFromMountTable(mounts, "secretive/x").has_value());
  EXPECT_FALSE(KvMountFromMountTable(mounts, "nothing").has_value());
}

TEST(KvPathsTest, MountTableAtTheTopLevelToo) {
  const json old_style = {{"kv/", {{"type", "kv"}}}, {"request_id", "x"}};
  auto m = KvMountFromMountTable(old_style, "kv/a");
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->path, "kv/");
  EXPECT_EQ(m->version, 1);
}

}  // namespace
}  // namespace coffer::cli
