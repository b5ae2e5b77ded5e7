#include "core/router.h"

#include <gtest/gtest.h>

namespace coffer::core {
namespace {

std::shared_ptr<MountedEngine> MountAt(const std::string& path) {
  auto m = std::make_shared<MountedEngine>();
  m->entry.path = path;
  return m;
}

TEST(RouterTest, LongestPrefixWins) {
  Router r;
  ASSERT_TRUE(r.Add(MountAt("secret/")).ok());
  ASSERT_TRUE(r.Add(MountAt("sys/")).ok());
  ASSERT_TRUE(r.Add(MountAt("auth/token/")).ok());
  auto m = r.Route("secret/data/a/b");
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->mount->entry.path, "secret/");
  EXPECT_EQ(m->relative_path, "data/a/b");
  auto t = r.Route("auth/token/lookup-self");
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(t->relative_path, "lookup-self");
  EXPECT_FALSE(r.Route("secretive/x").has_value());
  EXPECT_FALSE(r.Route("auth/other/x").has_value());
}

TEST(RouterTest, MountPointWithoutSlashMatchesItself) {
  Router r;
  ASSERT_TRUE(r.Add(MountAt("kv/")).ok());
  auto m = r.Route("kv");
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->relative_path, "");
}

TEST(RouterTest, NestedOrDuplicateMountsAreRefused) {
  Router r;
  ASSERT_TRUE(r.Add(MountAt("a/b/")).ok());
  EXPECT_TRUE(r.Add(MountAt("a/b/")).IsInvalidArgument());
  EXPECT_TRUE(r.Add(MountAt("a/b/c/")).IsInvalidArgument());
  EXPECT_TRUE(r.Add(MountAt("a/")).IsInvalidArgument());
  EXPECT_TRUE(r.Add(MountAt("a/c/")).ok());
}

TEST(RouterTest, ReplaceMovesTheMountAndRefusesConflicts) {
  Router r;
  ASSERT_TRUE(r.Add(MountAt("old/")).ok());
  ASSERT_TRUE(r.Add(MountAt("other/")).ok());
  EXPECT_TRUE(r.Replace("old/", MountAt("other/x/")).IsInvalidArgument());
  ASSERT_TRUE(r.Replace("old/", MountAt("new/")).ok());
  EXPECT_FALSE(r.Route("old/x").has_value());
  ASSERT_TRUE(r.Route("new/x").has_value());
  EXPECT_EQ(r.Route("new/x")->mount->entry.path, "new/");
}

TEST(MountPathTest, NormalizesAndRejectsBadPaths) {
  EXPECT_EQ(*NormalizeMountPath("/secret/"), "secret/");
  EXPECT_EQ(*NormalizeMountPath("team/kv"), "team/kv/");
  EXPECT_FALSE(NormalizeMountPath("").ok());
  EXPECT_FALSE(NormalizeMountPath("a/../b").ok());
  EXPECT_FALSE(NormalizeMountPath("a//b").ok());
  EXPECT_FALSE(NormalizeMountPath("a*").ok());
}

}  // namespace
}  // namespace coffer::core
