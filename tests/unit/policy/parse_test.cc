// ParsePolicy: Vault's policy language in HCL and JSON, and the errors for
// everything it refuses, each with the line and column at fault.
#include <gtest/gtest.h>

#include <string>

#include "core/policy/capabilities.h"
#include "core/policy/policy.h"
#include "policy_testing.h"

namespace coffer::core::policy {
namespace {

using testing::Parse;
using testing::ParseError;

// ExpectErrorAt checks the message is "failed to parse policy: <line>:<col>: ..."
// and mentions `what`.
void ExpectErrorAt(const std::string& text, size_t line, size_t column, const std::string& what) {
  std::string message = ParseError(text);
  std::string prefix =
      "failed to parse policy: " + std::to_string(line) + ":" + std::to_string(column) + ": ";
  EXPECT_EQ(message.rfind(prefix, 0), 0u) << "want prefix " << prefix << " in: " << message;
  EXPECT_NE(message.find(what), std::string::npos) << "want " << what << " in: " << message;
}

TEST(ParsePolicy, ReadsEveryCapabilityFromHcl) {
  Policy policy = Parse(R"(
path "secret/*" {
  capabilities = ["create", "read", "update", "patch", "delete", "list", "sudo"]
}
path "secret/foo" {
  capabilities = ["read"]
}
)");
  ASSERT_EQ(policy.rules.size(), 2u);
  EXPECT_EQ(policy.rules[0].pattern, "secret/*");
  EXPECT_EQ(policy.rules[0].capabilities, kCreate | kRead | kUpdate | kPatch | kDelete | kList | kSudo);
  EXPECT_EQ(policy.rules[1].pattern, "secret/foo");
  EXPECT_EQ(policy.rules[1].capabilities, kRead);
}

TEST(ParsePolicy, ReadsJsonTheSameAsHcl) {
  Policy hcl = Parse(R"(
path "secret/restricted" {
  capabilities = ["create", "update"]
  allowed_parameters = {
    "foo" = []
    "bar" = ["zip", "zap"]
  }
  denied_parameters = { "baz" = [1, true] }
  required_parameters = ["foo"]
  min_wrapping_ttl = "1s"
  max_wrapping_ttl = 90
}
path "secret/other/*" { capabilities = ["list"] }
)");
  Policy json = Parse(R"({
  "path": {
    "secret/restricted": {
      "capabilities": ["create", "update"],
      "allowed_parameters": {"foo": [], "bar": ["zip", "zap"]},
      "denied_parameters": {"baz": [1, true]},
      "required_parameters": ["foo"],
      "min_wrapping_ttl": "1s",
      "max_wrapping_ttl": 90
    },
    "secret/other/*": {"capabilities": ["list"]}
  }
})");
  ASSERT_EQ(hcl.rules.size(), 2u);
  ASSERT_EQ(json.rules.size(), 2u);
  for (const Policy* policy : {&hcl, &json}) {
    const PathRule& rule = policy->rules[0];
    EXPECT_EQ(rule.pattern, "secret/restricted");
    EXPECT_EQ(rule.capabilities, kCreate | kUpdate);
    ASSERT_EQ(rule.allowed_parameters.size(), 2u);
    EXPECT_TRUE(rule.allowed_parameters.at("foo").empty());
    EXPECT_EQ(rule.allowed_parameters.at("bar"), (std::vector<nlohmann::json>{"zip", "zap"}));
    EXPECT_EQ(rule.denied_parameters.at("baz"), (std::vector<nlohmann::json>{1, true}));
    EXPECT_EQ(rule.required_parameters, (std::vector<std::string>{"foo"}));
    EXPECT_EQ(rule.min_wrapping_ttl, 1);
    EXPECT_EQ(rule.max_wrapping_ttl, 90);
    EXPECT_EQ(policy->rules[1].pattern, "secret/other/*");
    EXPECT_EQ(policy->rules[1].capabilities, kList);
  }
}

TEST(ParsePolicy, JsonListOfPathObjectsIsAccepted) {
  Policy policy = Parse(R"({"path": [{"a": {"capabilities": ["read"]}},
                                     {"b/*": {"capabilities": ["list"]}}]})");
  ASSERT_EQ(policy.rules.size(), 2u);
  EXPECT_EQ(policy.rules[1].pattern, "b/*");
}

TEST(ParsePolicy, ParameterBlockFormIsAcceptedLikeHcl1) {
  Policy policy = Parse(R"(
path "secret/foo" {
  capabilities = ["create"]
  allowed_parameters {
    "bar" = ["zip"]
  }
})");
  ASSERT_EQ(policy.rules.size(), 1u);
  EXPECT_EQ(policy.rules[0].allowed_parameters.at("bar"), (std::vector<nlohmann::json>{"zip"}));
}

TEST(ParsePolicy, DenyDropsEveryOtherCapabilityAndConstraint) {
  Policy policy = Parse(R"(
path "secret/super-secret" {
  capabilities = ["read", "deny", "sudo"]
  allowed_parameters = { "a" = [] }
  max_wrapping_ttl = "1h"
})");
  ASSERT_EQ(policy.rules.size(), 1u);
  EXPECT_EQ(policy.rules[0].capabilities, kDeny);
  EXPECT_TRUE(policy.rules[0].allowed_parameters.empty());
  EXPECT_EQ(policy.rules[0].max_wrapping_ttl, 0);
}

TEST(ParsePolicy, OldPolicyShorthandMapsToVaultsCapabilities) {
  Policy policy = Parse(R"(
path "r" { policy = "read" }
path "w" { policy = "write" }
path "s" { policy = "sudo" }
path "d" { policy = "deny" }
path "both" {
  policy = "read"
  capabilities = ["update"]
})");
  ASSERT_EQ(policy.rules.size(), 5u);
  EXPECT_EQ(policy.rules[0].capabilities, kRead | kList);
  EXPECT_EQ(policy.rules[1].capabilities, kCreate | kRead | kUpdate | kDelete | kList);
  EXPECT_EQ(policy.rules[2].capabilities, kCreate | kRead | kUpdate | kDelete | kList | kSudo);
  EXPECT_EQ(policy.rules[3].capabilities, kDeny);
  EXPECT_EQ(policy.rules[4].capabilities, kRead | kList | kUpdate);
}

TEST(ParsePolicy, EmptyCapabilityListGrantsNothing) {
  Policy policy = Parse("path \"secret/x\" {\n  capabilities = []\n}\n");
  ASSERT_EQ(policy.rules.size(), 1u);
  EXPECT_EQ(policy.rules[0].capabilities, 0u);
}

TEST(ParsePolicy, LowercasesThePolicyNameAndParameterNames) {
  Policy policy = Parse(R"(
path "Secret/Foo" {
  capabilities = ["create"]
  allowed_parameters = { "BaR" = [] }
  required_parameters = ["ZiP"]
})",
                        "My-Policy");
  EXPECT_EQ(policy.name, "my-policy");
  ASSERT_EQ(policy.rules.size(), 1u);
  EXPECT_EQ(policy.rules[0].pattern, "Secret/Foo") << "paths stay case-sensitive";
  EXPECT_EQ(policy.rules[0].allowed_parameters.count("bar"), 1u);
  EXPECT_EQ(policy.rules[0].required_parameters, (std::vector<std::string>{"zip"}));
}

TEST(ParsePolicy, KeepsTheTextAndStripsOneLeadingSlashFromPaths) {
  std::string text = "path \"/secret/foo\" { capabilities = [\"read\"] }\n";
  Policy policy = Parse(text);
  EXPECT_EQ(policy.text, text);
  ASSERT_EQ(policy.rules.size(), 1u);
  EXPECT_EQ(policy.rules[0].pattern, "secret/foo");
}

TEST(ParsePolicy, AcceptsNameAndCommentKeysAsVaultDoes) {
  Policy policy = Parse(R"(
name = "ignored"
path "a" {
  comment = "why this rule exists"
  capabilities = ["read"]
})");
  EXPECT_EQ(policy.name, "test");
  EXPECT_EQ(policy.rules.size(), 1u);
}

TEST(ParsePolicy, EmptyTextIsAPolicyWithoutRules) {
  EXPECT_TRUE(Parse("").rules.empty());
  EXPECT_TRUE(Parse("# only a comment\n").rules.empty());
}

TEST(ParsePolicy, GoDurationsAreAcceptedForWrappingTtls) {
  Policy policy = Parse(R"(
path "a" {
  capabilities = ["read"]
  min_wrapping_ttl = "1m30s"
  max_wrapping_ttl = "1h"
})");
  ASSERT_EQ(policy.rules.size(), 1u);
  EXPECT_EQ(policy.rules[0].min_wrapping_ttl, 90);
  EXPECT_EQ(policy.rules[0].max_wrapping_ttl, 3600);
}

TEST(ParsePolicyErrors, UnknownCapabilityNamesPathAndPosition) {
  ExpectErrorAt("path \"secret/foo\" {\n  capabilities = [\"read\", \"reed\"]\n}\n", 2, 27,
                "path \"secret/foo\": invalid capability \"reed\"");
}

TEST(ParsePolicyErrors, CapabilitiesAreCaseSensitive) {
  ExpectErrorAt("path \"a\" {\n  capabilities = [\"Read\"]\n}\n", 2, 19, "invalid capability \"Read\"");
}

TEST(ParsePolicyErrors, CapabilitiesMustBeAListOfStrings) {
  ExpectErrorAt("path \"a\" {\n  capabilities = \"read\"\n}\n", 2, 18, "must be a list of strings");
  ExpectErrorAt("path \"a\" {\n  capabilities = [1]\n}\n", 2, 19, "must be a list of strings");
}

TEST(ParsePolicyErrors, StarInTheMiddleOfAPathIsRefused) {
  ExpectErrorAt("path \"secret/*/foo\" {\n  capabilities = [\"read\"]\n}\n", 1, 6,
                "'*' may only appear at the end");
}

TEST(ParsePolicyErrors, PlusFollowedByStarIsRefused) {
  ExpectErrorAt("path \"secret/+*\" {\n  capabilities = [\"read\"]\n}\n", 1, 6, "'+*' is forbidden");
}

TEST(ParsePolicyErrors, TemplatedPathsAreRefusedRatherThanNeverMatching) {
  ExpectErrorAt("path \"secret/{{identity.entity.id}}/*\" { capabilities = [\"read\"] }\n", 1, 6,
                "templated");
}

TEST(ParsePolicyErrors, EmptyPathIsRefused) {
  ExpectErrorAt("path \"\" { capabilities = [\"read\"] }\n", 1, 6, "must not be empty");
  ExpectErrorAt("path \"/\" { capabilities = [\"read\"] }\n", 1, 6, "must not be empty");
}

TEST(ParsePolicyErrors, MalformedHclKeepsTheParsersPosition) {
  std::string message = ParseError("path \"a\" {\n  capabilities = [\"read\"\n}\n");
  EXPECT_EQ(message.rfind("failed to parse policy: 3:1: ", 0), 0u) << message;
  message = ParseError("path \"a\" {\n  capabilities = [\"read\"]\n");
  EXPECT_EQ(message.rfind("failed to parse policy: ", 0), 0u) << message;
}

TEST(ParsePolicyErrors, MalformedJsonIsRefused) {
  std::string message = ParseError("{\"path\": {\"a\": {\"capabilities\": [\"read\"]}");
  EXPECT_EQ(message.rfind("failed to parse policy: ", 0), 0u) << message;
}

TEST(ParsePolicyErrors, UnknownKeyInAPathBlockNamesIt) {
  ExpectErrorAt("path \"a\" {\n  capabilities = [\"read\"]\n  capabilites = [\"list\"]\n}\n", 3, 3,
                "path \"a\": unknown key \"capabilites\"");
}

TEST(ParsePolicyErrors, UnknownKeyInJsonNamesIt) {
  std::string message = ParseError(R"({"path": {"a": {"capabilities": ["read"], "colour": "red"}}})");
  EXPECT_NE(message.find("unknown key \"colour\""), std::string::npos) << message;
}

TEST(ParsePolicyErrors, UnknownTopLevelKeyIsRefused) {
  ExpectErrorAt("path \"a\" { capabilities = [\"read\"] }\npaths \"b\" { capabilities = [\"read\"] }\n",
                2, 1, "unknown key \"paths\"");
  ExpectErrorAt("\nfoo = 1\n", 2, 1, "unknown key \"foo\"");
}

TEST(ParsePolicyErrors, PathBlockNeedsExactlyOneLabel) {
  ExpectErrorAt("path {\n  capabilities = [\"read\"]\n}\n", 1, 1, "exactly one label");
  ExpectErrorAt("path \"a\" \"b\" {\n  capabilities = [\"read\"]\n}\n", 1, 1, "exactly one label");
  ExpectErrorAt("path = \"a\"\n", 1, 1, "path must be a block");
}

TEST(ParsePolicyErrors, InvalidShorthandPolicyIsRefused) {
  ExpectErrorAt("path \"a\" {\n  policy = \"admin\"\n}\n", 2, 12, "invalid policy \"admin\"");
}

TEST(ParsePolicyErrors, ParameterValuesMustBeLists) {
  ExpectErrorAt("path \"a\" {\n  allowed_parameters = { \"bar\" = \"zip\" }\n}\n", 2, 34,
                "must be a list");
  ExpectErrorAt("path \"a\" {\n  denied_parameters = [\"bar\"]\n}\n", 2, 23, "must be a map");
}

TEST(ParsePolicyErrors, ParameterNameMayUseStarOnlyAlone) {
  ExpectErrorAt("path \"a\" {\n  allowed_parameters = { \"ba*\" = [] }\n}\n", 2, 26, "'*' only as the whole name");
  ExpectErrorAt("path \"a\" {\n  required_parameters = [\"*\"]\n}\n", 2, 26, "wildcard is not permitted");
}

TEST(ParsePolicyErrors, ParameterNamesDifferingOnlyInCaseAreRefused) {
  ExpectErrorAt("path \"a\" {\n  allowed_parameters = { \"bar\" = [], \"BAR\" = [\"x\"] }\n}\n", 2, 38,
                "listed twice");
}

TEST(ParsePolicyErrors, BadDurationsAreRefused) {
  ExpectErrorAt("path \"a\" {\n  min_wrapping_ttl = \"soon\"\n}\n", 2, 22, "min_wrapping_ttl");
  ExpectErrorAt("path \"a\" {\n  max_wrapping_ttl = -5\n}\n", 2, 22, "must not be negative");
  ExpectErrorAt("path \"a\" {\n  max_wrapping_ttl = true\n}\n", 2, 22, "duration");
}

TEST(ParsePolicyErrors, MaxWrappingTtlBelowMinIsRefused) {
  ExpectErrorAt("path \"a\" {\n  min_wrapping_ttl = \"1h\"\n  max_wrapping_ttl = \"1m\"\n}\n", 1, 1,
                "max_wrapping_ttl cannot be less than min_wrapping_ttl");
}

TEST(ParsePolicyErrors, EnterpriseOnlyKeysAreRefusedNotIgnored) {
  ExpectErrorAt("path \"a\" {\n  capabilities = [\"read\"]\n  mfa_methods = [\"totp\"]\n}\n", 3, 3,
                "Vault Enterprise");
}

TEST(ParsePolicyErrors, RootCannotBeParsedFromText) {
  Result<Policy> parsed = ParsePolicy("ROOT", "path \"*\" { capabilities = [\"read\"] }");
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.status().message(), "cannot update \"root\" policy");
}

TEST(ParsePolicyErrors, HostileInputNeverCrashes) {
  // Truncations of a valid policy at every byte: each either parses or
  // fails cleanly.
  std::string text = R"(path "secret/+/x*" {
  capabilities = ["read"]
  allowed_parameters = { "a" = ["b*", 1, {"c" = [2]}] }
  min_wrapping_ttl = "1s"
})";
  std::string json = R"({"path": {"secret/+/x*": {"capabilities": ["read"],
      "allowed_parameters": {"a": ["b*", 1, {"c": [2]}]}, "min_wrapping_ttl": "1s"}}})";
  for (const std::string& whole : {text, json}) {
    for (size_t cut = 0; cut <= whole.size(); ++cut) {
      Result<Policy> parsed = ParsePolicy("fuzz", whole.substr(0, cut));
      if (!parsed.ok()) {
        EXPECT_TRUE(parsed.status().IsInvalidArgument()) << parsed.status().ToString();
      }
    }
  }
}

TEST(ParsePolicyErrors, WrongJsonShapesAreRefusedCleanly) {
  for (const char* text : {R"({"path": "secret/*"})", R"({"path": {"a": "read"}})",
                           R"({"path": {"a": {"capabilities": {"read": true}}}})",
                           R"({"path": {"a": {"allowed_parameters": {"x": {"y": 1}}}}})", "[1, 2]",
                           R"({"path": [1]})"}) {
    Result<Policy> parsed = ParsePolicy("bad", text);
    EXPECT_FALSE(parsed.ok()) << text;
    EXPECT_TRUE(parsed.status().IsInvalidArgument()) << text << ": " << parsed.status().ToString();
  }
}

}  // namespace
}  // namespace coffer::core::policy
