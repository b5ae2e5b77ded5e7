// Vault-style patterns with named captures, translated to std::regex.
#include "core/framework/path_pattern.h"

#include <gtest/gtest.h>

namespace coffer::core::framework {
namespace {

using Captures = std::map<std::string, std::string>;

PathPattern MustCompile(const std::string& pattern) {
  Result<PathPattern> compiled = PathPattern::Compile(pattern);
  EXPECT_TRUE(compiled.ok()) << compiled.status().ToString();
  return std::move(compiled).value();
}

TEST(PathPatternTest, NamedCapturesAreReturnedByName) {
  PathPattern p = MustCompile("roles/" + GenericName("name") + "/creds/" + MatchAll("rest"));
  auto m = p.Match("roles/web-1/creds/a/b");
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(*m, (Captures{{"name", "web-1"}, {"rest", "a/b"}}));
}

TEST(PathPatternTest, PatternIsAnchoredAtBothEnds) {
  PathPattern p = MustCompile("config");
  EXPECT_TRUE(p.Match("config").has_value());
  EXPECT_FALSE(p.Match("config/x").has_value());
  EXPECT_FALSE(p.Match("xconfig").has_value());
  EXPECT_EQ(p.anchored(), "^config$");
}

TEST(PathPatternTest, NoTrailingSlashCaptureRejectsFolders) {
  PathPattern p = MustCompile("data/" + MatchAllNoTrailingSlash("path"));
  auto m = p.Match("data/a/b");
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ((*m)["path"], "a/b");
  EXPECT_FALSE(p.Match("data/a/").has_value());
  EXPECT_FALSE(p.Match("data/").has_value());
}

TEST(PathPatternTest, UnnamedAndNonCapturingGroupsKeepIndexesRight) {
  PathPattern p = MustCompile("(a|b)/(?:x|y)/(?P<first>[^/]+)/([0-9]+)/(?<second>.*)");
  auto m = p.Match("a/y/one/42/two/three");
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(*m, (Captures{{"first", "one"}, {"second", "two/three"}}));
}

TEST(PathPatternTest, ParenthesisInsideAClassIsLiteral) {
  PathPattern p = MustCompile("x/(?P<v>[(]+)/(?P<w>.*)");
  auto m = p.Match("x/((/end");
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(*m, (Captures{{"v", "(("}, {"w", "end"}}));
}

TEST(PathPatternTest, OptionalGroupThatDidNotMatchCapturesEmpty) {
  PathPattern p = MustCompile("keys/?(?P<name>[a-z]+)?");
  auto m = p.Match("keys/");
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ((*m)["name"], "");
}

TEST(PathPatternTest, MalformedPatternFailsToCompile) {
  EXPECT_FALSE(PathPattern::Compile("data/(?P<path").ok());
  EXPECT_FALSE(PathPattern::Compile("data/(unclosed").ok());
  EXPECT_FALSE(PathPattern::Compile("(?i)case").ok());
}

TEST(PathPatternTest, LongPathMatchesWithoutTrouble) {
  PathPattern p = MustCompile("data/" + MatchAllNoTrailingSlash("path"));
  std::string path = "data/" + std::string(4000, 'a');
  EXPECT_TRUE(p.Match(path).has_value());
}

}  // namespace
}  // namespace coffer::core::framework
