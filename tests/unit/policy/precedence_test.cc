// Which rule decides a path: glob and '+' matching, and Vault's priority
// order, on the examples of Vault's policy documentation.
#include <gtest/gtest.h>

#include <string>

#include "core/policy/capabilities.h"
#include "core/policy/pattern.h"
#include "policy_testing.h"

namespace coffer::core::policy {
namespace {

using testing::CanRead;
using testing::CompileText;

TEST(PathMatching, ExactPathMatchesOnlyItself) {
  auto acl = CompileText(R"(path "secret/foo" { capabilities = ["read"] })");
  EXPECT_TRUE(CanRead(*acl, "secret/foo"));
  EXPECT_FALSE(CanRead(*acl, "secret/food"));
  EXPECT_FALSE(CanRead(*acl, "secret/foo/bar"));
  EXPECT_FALSE(CanRead(*acl, "secret/fo"));
  EXPECT_FALSE(CanRead(*acl, "secret"));
}

TEST(PathMatching, GlobIsAPrefixMatch) {
  auto acl = CompileText(R"(
path "secret/bar/*" { capabilities = ["read"] }
path "secret/zip-*" { capabilities = ["read"] })");
  EXPECT_TRUE(CanRead(*acl, "secret/bar/zip"));
  EXPECT_TRUE(CanRead(*acl, "secret/bar/zip/zap"));
  EXPECT_TRUE(CanRead(*acl, "secret/bar/"));
  EXPECT_FALSE(CanRead(*acl, "secret/bars/zip"));
  EXPECT_FALSE(CanRead(*acl, "secret/bar"));
  EXPECT_TRUE(CanRead(*acl, "secret/zip-zap"));
  EXPECT_TRUE(CanRead(*acl, "secret/zip-zap/zong"));
  EXPECT_FALSE(CanRead(*acl, "secret/zip/zap"));
}

TEST(PathMatching, PlusMatchesExactlyOneSegment) {
  auto acl = CompileText(R"(
path "secret/+/teamb" { capabilities = ["read"] }
path "secret/+/+/teamc" { capabilities = ["read"] })");
  EXPECT_TRUE(CanRead(*acl, "secret/foo/teamb"));
  EXPECT_TRUE(CanRead(*acl, "secret/bar/teamb"));
  EXPECT_FALSE(CanRead(*acl, "secret/foo/bar/teamb"));
  EXPECT_FALSE(CanRead(*acl, "secret/teamb"));
  EXPECT_FALSE(CanRead(*acl, "secret/foo/teamb/x"));
  EXPECT_TRUE(CanRead(*acl, "secret/foo/bar/teamc"));
  EXPECT_TRUE(CanRead(*acl, "secret/bar/foo/teamc"));
  EXPECT_FALSE(CanRead(*acl, "secret/foo/teamc"));
}

TEST(PathMatching, PlusMatchesAnEmptySegmentAsVaultDoes) {
  auto acl = CompileText(R"(path "secret/+/bar" { capabilities = ["read"] })");
  EXPECT_TRUE(CanRead(*acl, "secret//bar"));
}

TEST(PathMatching, PlusMayStartOrEndAPattern) {
  auto acl = CompileText(R"(
path "+/config" { capabilities = ["read"] }
path "kv/+" { capabilities = ["read"] })");
  EXPECT_TRUE(CanRead(*acl, "anything/config"));
  EXPECT_FALSE(CanRead(*acl, "a/b/config"));
  EXPECT_TRUE(CanRead(*acl, "kv/x"));
  EXPECT_FALSE(CanRead(*acl, "kv/x/y"));
  EXPECT_FALSE(CanRead(*acl, "kv"));
}

TEST(PathMatching, GlobAfterPlusIsAPrefixOfTheRest) {
  auto acl = CompileText(R"(path "secret/+/foo*" { capabilities = ["read"] })");
  EXPECT_TRUE(CanRead(*acl, "secret/a/foo"));
  EXPECT_TRUE(CanRead(*acl, "secret/a/foobar/x"));
  EXPECT_FALSE(CanRead(*acl, "secret/a/b/foo"));
}

TEST(PathMatching, PlusInsideASegmentIsALiteralCharacter) {
  auto acl = CompileText(R"(path "a+b/c" { capabilities = ["read"] })");
  EXPECT_TRUE(CanRead(*acl, "a+b/c"));
  EXPECT_FALSE(CanRead(*acl, "axb/c"));
}

TEST(PathMatching, StarAloneMatchesEveryPath) {
  auto acl = CompileText(R"(path "*" { capabilities = ["read"] })");
  EXPECT_TRUE(CanRead(*acl, "secret/foo"));
  EXPECT_TRUE(CanRead(*acl, "sys/mounts"));
  EXPECT_TRUE(CanRead(*acl, ""));
}

TEST(PathMatching, LeadingSlashOfTheRequestPathIsIgnored) {
  auto acl = CompileText(R"(path "secret/foo" { capabilities = ["read"] })");
  EXPECT_TRUE(CanRead(*acl, "/secret/foo"));
}

TEST(PathMatching, NothingMatchingMeansNoCapabilities) {
  auto acl = CompileText(R"(path "secret/foo" { capabilities = ["read"] })");
  EXPECT_EQ(acl->Capabilities("other/path"), 0u);
  EXPECT_EQ(acl->CapabilityNamesFor("other/path"), (std::vector<std::string>{"deny"}));
}

// The documentation's main example: a broad grant with one exception.
TEST(Precedence, ExplicitDenyOnAnExactPathOverridesABroadGlob) {
  auto acl = CompileText(R"(
path "secret/*" {
  capabilities = ["create", "read", "update", "patch", "delete", "list"]
}
path "secret/super-secret" {
  capabilities = ["deny"]
})");
  EXPECT_TRUE(CanRead(*acl, "secret/foo"));
  EXPECT_FALSE(CanRead(*acl, "secret/super-secret"));
  EXPECT_EQ(acl->CapabilityNamesFor("secret/super-secret"), (std::vector<std::string>{"deny"}));
  EXPECT_TRUE(CanRead(*acl, "secret/super-secret-not")) << "deny is on the exact path only";
}

TEST(Precedence, ExactMatchBeatsEveryWildcard) {
  auto acl = CompileText(R"(
path "secret/*"   { capabilities = ["delete"] }
path "secret/+"   { capabilities = ["update"] }
path "secret/fo*" { capabilities = ["list"] }
path "secret/foo" { capabilities = ["read"] })");
  EXPECT_EQ(acl->Capabilities("secret/foo"), kRead);
}

TEST(Precedence, NoUnionAcrossDifferentPatterns) {
  auto acl = CompileText(R"(
path "secret/*"   { capabilities = ["read", "list"] }
path "secret/foo" { capabilities = ["update"] })");
  EXPECT_EQ(acl->Capabilities("secret/foo"), kUpdate);
  EXPECT_FALSE(CanRead(*acl, "secret/foo"));
}

TEST(Precedence, LongerGlobBeatsShorterGlob) {
  auto acl = CompileText(R"(
path "secret/*"     { capabilities = ["read"] }
path "secret/foo/*" { capabilities = ["list"] }
path "secret/f*"    { capabilities = ["update"] })");
  EXPECT_EQ(acl->Capabilities("secret/foo/bar"), kList);
  EXPECT_EQ(acl->Capabilities("secret/fab"), kUpdate);
  EXPECT_EQ(acl->Capabilities("secret/x"), kRead);
}

// Rule 1: the later first wildcard wins.
TEST(Precedence, LaterFirstWildcardWins) {
  auto acl = CompileText(R"(
path "secret/+/bar" { capabilities = ["read"] }
path "secret/foo/*" { capabilities = ["update"] }
path "+/foo/bar"    { capabilities = ["delete"] })");
  EXPECT_EQ(acl->Capabilities("secret/foo/bar"), kUpdate);
  EXPECT_EQ(acl->Capabilities("secret/zzz/bar"), kRead);
  EXPECT_EQ(acl->Capabilities("other/foo/bar"), kDelete);
}

// Rule 1, documented case: prefer foo/bar/+/baz over foo/+/bar/baz.
TEST(Precedence, SegmentWildcardLaterInThePathWins) {
  auto acl = CompileText(R"(
path "foo/+/bar/baz" { capabilities = ["read"] }
path "foo/bar/+/baz" { capabilities = ["update"] })");
  EXPECT_EQ(acl->Capabilities("foo/bar/bar/baz"), kUpdate);
}

// Rule 2: at the same position, a pattern that does not end in '*' wins.
TEST(Precedence, NonGlobBeatsGlobAtTheSameWildcardPosition) {
  auto acl = CompileText(R"(
path "secret/+/bar" { capabilities = ["read"] }
path "secret/+/ba*" { capabilities = ["update"] }
path "foo/+"        { capabilities = ["list"] }
path "foo/*"        { capabilities = ["delete"] })");
  EXPECT_EQ(acl->Capabilities("secret/x/bar"), kRead);
  EXPECT_EQ(acl->Capabilities("secret/x/baz"), kUpdate);
  EXPECT_EQ(acl->Capabilities("foo/x"), kList);
  EXPECT_EQ(acl->Capabilities("foo/x/y"), kDelete);
}

// Rule 3, the documentation's example: "secret/*" beats "secret/+/+/foo/*".
TEST(Precedence, FewerPlusSegmentsWin) {
  auto acl = CompileText(R"(
path "secret/*"         { capabilities = ["read"] }
path "secret/+/+/foo/*" { capabilities = ["update"] })");
  EXPECT_EQ(acl->Capabilities("secret/a/b/foo/c"), kRead);

  auto acl2 = CompileText(R"(
path "foo/+/+/baz"   { capabilities = ["read"] }
path "foo/+/bar/baz" { capabilities = ["update"] })");
  EXPECT_EQ(acl2->Capabilities("foo/x/bar/baz"), kUpdate);
}

// Rule 4: the longer pattern wins (prefer foo/+/bar/ba* over foo/+/bar/b*).
TEST(Precedence, LongerPatternWins) {
  auto acl = CompileText(R"(
path "foo/+/bar/b*"  { capabilities = ["read"] }
path "foo/+/bar/ba*" { capabilities = ["update"] })");
  EXPECT_EQ(acl->Capabilities("foo/x/bar/baz"), kUpdate);
  EXPECT_EQ(acl->Capabilities("foo/x/bar/bz"), kRead);
}

// Rule 5: everything else equal, the lexicographically larger wins.
TEST(Precedence, LexicographicallyLargerWinsLast) {
  auto acl = CompileText(R"(
path "+/b/+" { capabilities = ["read"] }
path "+/+/c" { capabilities = ["update"] })");
  // Both: first '+' at 0, no glob, two '+', length 5; "+/+/c" < "+/b/+".
  EXPECT_EQ(acl->Capabilities("a/b/c"), kRead);
}

TEST(Precedence, DenyOnTheWinningWildcardDeniesEvenWithSudoElsewhere) {
  auto acl = CompileText(R"(
path "secret/*"     { capabilities = ["read", "sudo"] }
path "secret/priv*" { capabilities = ["deny"] })");
  EXPECT_FALSE(CanRead(*acl, "secret/private/key"));
  EXPECT_TRUE(CanRead(*acl, "secret/public"));
}

TEST(PatternOrder, MatchesVaultsDocumentedRules) {
  auto shape = [](const char* pattern) { return *AnalyzePattern(pattern); };
  // Kept alive: PatternShape points into its pattern.
  EXPECT_TRUE(LowerPriority(shape("secret/+/bar"), shape("secret/foo/*")));
  EXPECT_TRUE(LowerPriority(shape("foo/*"), shape("foo/+")));
  EXPECT_TRUE(LowerPriority(shape("secret/+/+/foo/*"), shape("secret/*")));
  EXPECT_TRUE(LowerPriority(shape("foo/+/bar/b*"), shape("foo/+/bar/ba*")));
  EXPECT_TRUE(LowerPriority(shape("+/+/c"), shape("+/b/+")));
  EXPECT_TRUE(LowerPriority(shape("secret/*"), shape("secret/foo")));
  EXPECT_FALSE(LowerPriority(shape("secret/foo"), shape("secret/foo")));
}

}  // namespace
}  // namespace coffer::core::policy
