#include "cli/secret_output.h"

#include <gtest/gtest.h>

#include "cli/generic_commands.h"

namespace coffer::cli {
namespace {

using nlohmann::json;

TEST(SecretOutputTest, HumanDurationDropsZeroUnits) {
  EXPECT_EQ(HumanDuration(0), "0s");
  EXPECT_EQ(HumanDuration(45), "45s");
  EXPECT_EQ(HumanDuration(60), "1m");
  EXPECT_EQ(HumanDuration(90), "1m30s");
  EXPECT_EQ(HumanDuration(3600), "1h");
  EXPECT_EQ(HumanDuration(3605), "1h5s");
  EXPECT_EQ(HumanDuration(3660), "1h1m");
  EXPECT_EQ(HumanDuration(2764800), "768h");
  EXPECT_EQ(HumanDuration(-90), "-1m30s");
}

TEST(SecretOutputTest, GoValueRendersLikePercentV) {
  EXPECT_EQ(GoValue("bar"), "bar");
  EXPECT_EQ(GoValue(json(nullptr)), "<nil>");
  EXPECT_EQ(GoValue(true), "true");
  EXPECT_EQ(GoValue(42), "42");
  EXPECT_EQ(GoValue(json{"default", "root"}), "[default root]");
  EXPECT_EQ(GoValue(json{{"b", 1}, {"a", "x"}}), "map[a:x b:1]");
  EXPECT_EQ(GoQuotedList(json{"default", "dev"}), "[\"default\" \"dev\"]");
  EXPECT_EQ(GoQuotedList(json(nullptr)), "[]");
}

TEST(SecretOutputTest, DurationLikeKeysAreHumanized) {
  EXPECT_EQ(CellValue("ttl", 3600), "1h");
  EXPECT_EQ(CellValue("creation_ttl", 2764800), "768h");
  EXPECT_EQ(CellValue("period", 0), "0s");
  EXPECT_EQ(CellValue("num_uses", 3600), "3600");
  EXPECT_EQ(CellValue("ttl", "1h"), "1h");
}

TEST(SecretOutputTest, KeyValueTableAlignsAndMarksEmptyCells) {
  const std::string table = KeyValueTable({{"foo", "bar"}, {"longer_key", ""}});
  EXPECT_EQ(table,
            "Key           Value\n"
            "---           -----\n"
            "foo           bar\n"
            "longer_key    n/a\n");
  EXPECT_EQ(KeyValueTable({}), "");
}

TEST(SecretOutputTest, FormatColumnsPadsEveryColumnButTheLast) {
  const std::string out = FormatColumns({{"Path", "Type", "Description"},
                                         {"cubbyhole/", "cubbyhole", "per-token storage"},
                                         {"kv/", "kv", ""}});
  EXPECT_EQ(out,
            "Path          Type         Description\n"
            "----          ----         -----------\n"
            "cubbyhole/    cubbyhole    per-token storage\n"
            "kv/           kv           n/a\n");
}

TEST(SecretOutputTest, SecretRowsOfATokenResponse) {
  const json body = {{"lease_duration", 0},
                     {"auth",
                      {{"client_token", "hvs.abc"},
                       {"accessor", "acc"},
                       {"lease_duration", 3600},
                       {"renewable", true},
                       {"token_policies", {"default", "dev"}},
                       {"identity_policies", nullptr},
                       {"policies", {"default", "dev"}},
                       {"metadata", {{"team", "ops"}}}}}};
  const auto rows = SecretRows(body);
  const std::vector<std::vector<std::string>> want = {
      {"token", "hvs.abc"},
      {"token_accessor", "acc"},
      {"token_duration", "1h"},
      {"token_renewable", "true"},
      {"token_policies", "[\"default\" \"dev\"]"},
      {"identity_policies", "[]"},
      {"policies", "[\"default\" \"dev\"]"},
      {"token_meta_team", "ops"},
  };
  EXPECT_EQ(rows, want);
}

TEST(SecretOutputTest, RootTokenDurationIsInfinity) {
  const json body = {{"auth", {{"client_token", "r"}, {"lease_duration", 0}}}};
  EXPECT_EQ(SecretRows(body)[2][1], "\xE2\x88\x9E");
}

TEST(SecretOutputTest, SecretRowsOfDataWithARefreshInterval) {
  const json body = {{"lease_id", ""},
                     {"lease_duration", 2764800},
                     {"data", {{"password", "s3cret"}, {"ttl", 60}}}};
  const std::vector<std::vector<std::string>> want = {
      {"refresh_interval", "768h"}, {"password", "s3cret"}, {"ttl", "1m"}};
  EXPECT_EQ(SecretRows(body), want);
}

TEST(SecretOutputTest, SecretRowsOfAWrappedResponse) {
  const json body = {{"wrap_info",
                      {{"token", "hvs.wrap"},
                       {"accessor", "wacc"},
                       {"ttl", 300},
                       {"creation_time", "2024-01-01T00:00:00Z"},
                       {"creation_path", "secret/data/foo"}}}};
  const auto rows = SecretRows(body);
  ASSERT_EQ(rows.size(), 5u);
  EXPECT_EQ(rows[0], (std::vector<std::string>{"wrapping_token:", "hvs.wrap"}));
  EXPECT_EQ(rows[2], (std::vector<std::string>{"wrapping_token_ttl:", "5m"}));
}

TEST(SecretOutputTest, RawFieldFollowsVaultsLookup) {
  const json token = {{"auth", {{"client_token", "hvs.t"}, {"accessor", "a"}}},
                      {"data", nullptr}};
  EXPECT_EQ(RawField(token, "token"), "hvs.t");
  EXPECT_EQ(RawField(token, "token_accessor"), "a");
  EXPECT_TRUE(RawField(token, "nope").is_null());

  const json wrapped = {{"wrap_info", {{"token", "w"}, {"ttl", 60}}}};
  EXPECT_EQ(RawField(wrapped, "wrapping_token"), "w");
  EXPECT_EQ(RawField(wrapped, "wrapping_token_ttl"), 60);

  const json secret = {{"request_id", "r1"},
                       {"lease_duration", 30},
                       {"data", {{"foo", "bar"}, {"data", {{"inner", 1}}}}}};
  EXPECT_EQ(RawField(secret, "foo"), "bar");
  EXPECT_EQ(RawField(secret, "request_id"), "r1");
  EXPECT_EQ(RawField(secret, "refresh_interval"), 30);
  EXPECT_EQ(RawField(secret, "data"), (json{{"inner", 1}}));
  const json plain = {{"data", {{"a", 1}}}};
  EXPECT_EQ(RawField(plain, "data"), (json{{"a", 1}}));
}

TEST(SecretOutputTest, SectionTitlesAreCentredInEqualSigns) {
  EXPECT_EQ(PadEqualSigns("Secret Path", std::string("secret/data/myapp").size()),
            "== Secret Path ==");
  const json metadata = {{"created_time", "t"},
                         {"custom_metadata", nullptr},
                         {"deletion_time", ""},
                         {"destroyed", false},
                         {"version", 1}};
  EXPECT_EQ(HeaderForMap("Metadata", metadata), "======= Metadata =======");
  EXPECT_EQ(HeaderForMap("Data", json{{"foo", "bar"}}), "=== Data ===");
}

TEST(SecretOutputTest, QueryStringEscapesAndRepeatsLists) {
  EXPECT_EQ(QueryString(json::object()), "");
  EXPECT_EQ(QueryString(json{{"a", "x y"}, {"b", {"1", "2"}}}), "?a=x%20y&b=1&b=2");
}

}  // namespace
}  // namespace coffer::cli
