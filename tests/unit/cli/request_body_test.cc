// The request bodies the token and secrets verbs build from their flags,
// and the secrets list table.
#include <gtest/gtest.h>

#include "cli/client_command.h"
#include "cli/command_util.h"
#include "cli/secrets_commands.h"
#include "cli/token_commands.h"

namespace coffer::cli {
namespace {

using nlohmann::json;

ParsedFlags Flags(const std::vector<std::string>& args, const std::vector<FlagSpec>& specs) {
  auto f = ParseFlags(args, specs);
  EXPECT_TRUE(f.ok()) << f.status().message();
  return f.ok() ? *f : ParsedFlags{};
}

const std::vector<FlagSpec> kTokenSpecs = {
    {"policy", false, "", true},      {"metadata", false, "", true},
    {"ttl", false, ""},               {"explicit-max-ttl", false, ""},
    {"period", false, ""},            {"num-uses", false, ""},
    {"use-limit", false, ""},         {"renewable", true, ""},
    {"orphan", true, ""},             {"no-default-policy", true, ""},
    {"display-name", false, ""},      {"id", false, ""},
    {"role", false, ""},              {"type", false, ""},
};

TEST(RequestBodyTest, TokenCreateFromFlags) {
  auto body = TokenCreateBody(Flags({"-policy=a,b", "-policy=c", "-metadata=team=ops",
                                     "-metadata", "env=dev", "-ttl=1h", "-explicit-max-ttl=2h",
                                     "-use-limit=3", "-orphan", "-no-default-policy",
                                     "-display-name=ci"},
                                    kTokenSpecs));
  ASSERT_TRUE(body.ok()) << body.status().message();
  EXPECT_EQ(*body, (json{{"policies", {"a", "b", "c"}},
                         {"meta", {{"team", "ops"}, {"env", "dev"}}},
                         {"ttl", "3600s"},
                         {"explicit_max_ttl", "7200s"},
                         {"num_uses", 3},
                         {"renewable", true},
                         {"no_parent", true},
                         {"no_default_policy", true},
                         {"display_name", "ci"}}));
}

TEST(RequestBodyTest, TokenCreateDefaultsToRenewable) {
  auto body = TokenCreateBody(Flags({}, kTokenSpecs));
  ASSERT_TRUE(body.ok());
  EXPECT_EQ(*body, (json{{"renewable", true}}));
  body = TokenCreateBody(Flags({"-renewable=false", "-period=30m"}, kTokenSpecs));
  ASSERT_TRUE(body.ok());
  EXPECT_EQ(*body, (json{{"renewable", false}, {"period", "1800s"}}));
}

TEST(RequestBodyTest, TokenCreateRejectsBadInput) {
  EXPECT_FALSE(TokenCreateBody(Flags({"-ttl=soon"}, kTokenSpecs)).ok());
  EXPECT_FALSE(TokenCreateBody(Flags({"-metadata=novalue"}, kTokenSpecs)).ok());
  EXPECT_FALSE(TokenCreateBody(Flags({"-num-uses=x"}, kTokenSpecs)).ok());
}

const std::vector<FlagSpec> kMountSpecs = {
    {"description", false, ""}, {"default-lease-ttl", false, ""},
    {"max-lease-ttl", false, ""}, {"options", false, "", true},
    {"version", false, ""},     {"path", false, ""},
    {"local", true, ""},        {"seal-wrap", true, ""},
};

TEST(RequestBodyTest, SecretsEnableFromFlags) {
  auto body = MountInput("kv", Flags({"-path=team", "-description=Team secrets", "-version=2",
                                      "-options=foo=bar", "-default-lease-ttl=1h",
                                      "-max-lease-ttl=24h"},
                                     kMountSpecs));
  ASSERT_TRUE(body.ok()) << body.status().message();
  EXPECT_EQ(*body, (json{{"type", "kv"},
                         {"description", "Team secrets"},
                         {"config", {{"default_lease_ttl", "3600s"}, {"max_lease_ttl", "86400s"}}},
                         {"options", {{"version", "2"}, {"foo", "bar"}}}}));
  body = MountInput("transit", Flags({}, kMountSpecs));
  ASSERT_TRUE(body.ok());
  EXPECT_EQ(*body, (json{{"type", "transit"}}));
}

TEST(RequestBodyTest, SecretsListTable) {
  const json mounts = {{"data",
                        {{"secret/",
                          {{"type", "kv"},
                           {"accessor", "kv_1"},
                           {"description", "key/value secret storage"},
                           {"options", {{"version", "2"}}},
                           {"config", {{"default_lease_ttl", 0}, {"max_lease_ttl", 0}}}}},
                         {"cubbyhole/",
                          {{"type", "cubbyhole"},
                           {"accessor", "cubbyhole_1"},
                           {"description", "per-token private secret storage"}}}}}};
  const auto rows = MountRows(mounts, false);
  const std::vector<std::vector<std::string>> want = {
      {"Path", "Type", "Accessor", "Description"},
      {"cubbyhole/", "cubbyhole", "cubbyhole_1", "per-token private secret storage"},
      {"secret/", "kv", "kv_1", "key/value secret storage"},
  };
  EXPECT_EQ(rows, want);
  const auto detailed = MountRows(mounts, true);
  ASSERT_EQ(detailed.size(), 3u);
  EXPECT_EQ(detailed[2][3], "system");
  EXPECT_EQ(detailed[2][9], "map[version:2]");
  EXPECT_EQ(detailed[1][3], "");
}

TEST(RequestBodyTest, SplitCommaListTrimsAndDropsEmpties) {
  EXPECT_EQ(SplitCommaList({"a, b", ",c,", "d"}),
            (std::vector<std::string>{"a", "b", "c", "d"}));
}

TEST(RequestBodyTest, PathHelpers) {
  EXPECT_EQ(SanitizePath("  /secret/foo/ "), "secret/foo");
  EXPECT_EQ(EscapePath("secret/data/my app?x"), "secret/data/my%20app%3Fx");
  EXPECT_EQ(EnsureTrailingSlash("kv"), "kv/");
  EXPECT_EQ(EnsureTrailingSlash("kv/"), "kv/");
}

}  // namespace
}  // namespace coffer::cli
