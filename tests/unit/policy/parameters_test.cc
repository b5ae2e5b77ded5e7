// Parameter constraints: the examples of Vault's policy documentation
// ("Parameter Constraints"), and how values are compared.
#include <gtest/gtest.h>

#include <string>

#include "policy_testing.h"

namespace coffer::core::policy {
namespace {

using core::Operation;
using nlohmann::json;
using testing::Allowed;
using testing::CompileText;

bool CanCreate(const Acl& acl, const json& data) { return Allowed(acl, Operation::kCreate, "secret/foo", data); }

TEST(RequiredParameters, EveryRequiredParameterMustBePresent) {
  auto acl = CompileText(R"(path "secret/foo" {
    capabilities = ["create"]
    required_parameters = ["bar", "baz"]
  })");
  EXPECT_TRUE(CanCreate(*acl, {{"bar", 1}, {"baz", 2}}));
  EXPECT_TRUE(CanCreate(*acl, {{"bar", 1}, {"baz", 2}, {"other", 3}}));
  EXPECT_FALSE(CanCreate(*acl, {{"bar", 1}}));
  EXPECT_FALSE(CanCreate(*acl, json::object()));
}

TEST(AllowedParameters, EmptyListAllowsAnyValueAndNothingElse) {
  auto acl = CompileText(R"(path "secret/foo" {
    capabilities = ["create"]
    allowed_parameters = { "bar" = [] }
  })");
  EXPECT_TRUE(CanCreate(*acl, {{"bar", "anything"}}));
  EXPECT_TRUE(CanCreate(*acl, {{"bar", {{"nested", true}}}}));
  EXPECT_FALSE(CanCreate(*acl, {{"bar", "x"}, {"other", "y"}}));
  EXPECT_TRUE(CanCreate(*acl, json::object())) << "no parameters at all passes";
}

TEST(AllowedParameters, PopulatedListAllowsOnlyThoseValues) {
  auto acl = CompileText(R"(path "secret/foo" {
    capabilities = ["create"]
    allowed_parameters = { "bar" = ["zip", "zap"] }
  })");
  EXPECT_TRUE(CanCreate(*acl, {{"bar", "zip"}}));
  EXPECT_TRUE(CanCreate(*acl, {{"bar", "zap"}}));
  EXPECT_FALSE(CanCreate(*acl, {{"bar", "zop"}}));
  EXPECT_FALSE(CanCreate(*acl, {{"bar", "zip"}, {"foo", "x"}}));
}

TEST(AllowedParameters, StarKeyLetsOtherParametersThrough) {
  auto acl = CompileText(R"(path "secret/foo" {
    capabilities = ["create"]
    allowed_parameters = {
      "bar" = ["zip", "zap"]
      "*"   = []
    }
  })");
  EXPECT_TRUE(CanCreate(*acl, {{"bar", "zip"}, {"anything", "else"}}));
  EXPECT_FALSE(CanCreate(*acl, {{"bar", "zop"}, {"anything", "else"}}));
}

TEST(AllowedParameters, StringValuesMayBeGlobbed) {
  auto acl = CompileText(R"(path "secret/foo" {
    capabilities = ["create"]
    allowed_parameters = {
      "prefix" = ["foo-*"]
      "suffix" = ["*-prod"]
      "middle" = ["*team*"]
    }
  })");
  EXPECT_TRUE(CanCreate(*acl, {{"prefix", "foo-bar"}}));
  EXPECT_FALSE(CanCreate(*acl, {{"prefix", "bar-foo"}}));
  EXPECT_TRUE(CanCreate(*acl, {{"suffix", "db-prod"}}));
  EXPECT_FALSE(CanCreate(*acl, {{"suffix", "db-dev"}}));
  EXPECT_TRUE(CanCreate(*acl, {{"middle", "a-team-b"}}));
  EXPECT_FALSE(CanCreate(*acl, {{"middle", "a-tea-b"}}));
}

TEST(AllowedParameters, CommaSeparatedStringsAreCheckedPerElement) {
  // The documentation's warning: in Vault "baz/*" admits "baz/quux,wibble"
  // because the glob matches the whole string. coffer holds a globbed
  // match of a comma string to each element instead.
  auto acl = CompileText(R"(path "secret/foo" {
    capabilities = ["create"]
    allowed_parameters = { "bar" = ["baz/*", "ok"] }
  })");
  EXPECT_TRUE(CanCreate(*acl, {{"bar", "baz/quux"}}));
  EXPECT_TRUE(CanCreate(*acl, {{"bar", "baz/quux, ok"}}));
  EXPECT_FALSE(CanCreate(*acl, {{"bar", "baz/quux,wibble"}}));
  EXPECT_FALSE(CanCreate(*acl, {{"bar", "ok,wibble"}}));
}

TEST(AllowedParameters, ACommaStringListedVerbatimIsAllowed) {
  auto acl = CompileText(R"(path "secret/foo" {
    capabilities = ["create"]
    allowed_parameters = { "bar" = ["a,b"] }
  })");
  EXPECT_TRUE(CanCreate(*acl, {{"bar", "a,b"}}));
  EXPECT_FALSE(CanCreate(*acl, {{"bar", "a,c"}}));
}

TEST(AllowedParameters, ListValuesNeedEveryElementAllowed) {
  auto acl = CompileText(R"(path "secret/foo" {
    capabilities = ["create"]
    allowed_parameters = { "policies" = ["dev", "ops"] }
  })");
  EXPECT_TRUE(CanCreate(*acl, {{"policies", json::array({"dev", "ops"})}}));
  EXPECT_FALSE(CanCreate(*acl, {{"policies", json::array({"dev", "root"})}}));
  EXPECT_TRUE(CanCreate(*acl, {{"policies", json::array()}})) << "an empty list sets nothing";
}

TEST(AllowedParameters, EmptyStringIsNotAllowedUnlessListed) {
  auto acl = CompileText(R"(path "secret/foo" {
    capabilities = ["create"]
    allowed_parameters = { "bar" = ["zip"], "baz" = ["", "x"] }
  })");
  EXPECT_FALSE(CanCreate(*acl, {{"bar", ""}}));
  EXPECT_TRUE(CanCreate(*acl, {{"baz", ""}}));
}

TEST(AllowedParameters, NonStringValuesCompareAsJson) {
  auto acl = CompileText(R"(path "secret/foo" {
    capabilities = ["create"]
    allowed_parameters = { "count" = [1, 2], "flag" = [true] }
  })");
  EXPECT_TRUE(CanCreate(*acl, {{"count", 2}}));
  EXPECT_TRUE(CanCreate(*acl, {{"count", 2.0}}));
  EXPECT_FALSE(CanCreate(*acl, {{"count", 3}}));
  EXPECT_FALSE(CanCreate(*acl, {{"count", "1"}})) << "a string is not the number";
  EXPECT_TRUE(CanCreate(*acl, {{"flag", true}}));
  EXPECT_FALSE(CanCreate(*acl, {{"flag", false}}));
}

TEST(AllowedParameters, NamesCompareCaseInsensitively) {
  auto acl = CompileText(R"(path "secret/foo" {
    capabilities = ["create"]
    allowed_parameters = { "Bar" = ["zip"] }
  })");
  EXPECT_TRUE(CanCreate(*acl, {{"BAR", "zip"}}));
  EXPECT_FALSE(CanCreate(*acl, {{"bar", "zap"}}));
}

TEST(DeniedParameters, EmptyListDeniesTheParameterWithAnyValue) {
  auto acl = CompileText(R"(path "secret/foo" {
    capabilities = ["create"]
    denied_parameters = { "bar" = [] }
  })");
  EXPECT_FALSE(CanCreate(*acl, {{"bar", "x"}}));
  EXPECT_TRUE(CanCreate(*acl, {{"other", "x"}}));
}

TEST(DeniedParameters, PopulatedListDeniesThoseValues) {
  auto acl = CompileText(R"(path "secret/foo" {
    capabilities = ["create"]
    denied_parameters = { "bar" = ["zip", "zap"] }
  })");
  EXPECT_FALSE(CanCreate(*acl, {{"bar", "zip"}}));
  EXPECT_TRUE(CanCreate(*acl, {{"bar", "zop"}}));
  EXPECT_TRUE(CanCreate(*acl, {{"foo", "zip"}}));
  EXPECT_FALSE(CanCreate(*acl, {{"bar", json::array({"ok", "zap"})}})) << "any denied element";
  EXPECT_FALSE(CanCreate(*acl, {{"bar", "ok,zap"}}));
}

TEST(DeniedParameters, StarDeniesEveryParameter) {
  auto acl = CompileText(R"(path "secret/foo" {
    capabilities = ["create"]
    denied_parameters = { "*" = [] }
  })");
  EXPECT_FALSE(CanCreate(*acl, {{"anything", 1}}));
  EXPECT_TRUE(CanCreate(*acl, json::object()));
}

TEST(DeniedParameters, DenialBeatsAllowance) {
  auto acl = CompileText(R"(path "secret/foo" {
    capabilities = ["create"]
    allowed_parameters = { "bar" = [] }
    denied_parameters = { "bar" = ["zip"] }
  })");
  EXPECT_TRUE(CanCreate(*acl, {{"bar", "zap"}}));
  EXPECT_FALSE(CanCreate(*acl, {{"bar", "zip"}}));
}

TEST(ParameterConstraints, ApplyToReadCreateUpdatePatchOnly) {
  auto acl = CompileText(R"(path "secret/foo" {
    capabilities = ["read", "create", "update", "patch", "delete", "list"]
    allowed_parameters = { "ok" = [] }
  })");
  json bad = {{"not-ok", 1}};
  EXPECT_FALSE(Allowed(*acl, Operation::kRead, "secret/foo", bad));
  EXPECT_FALSE(Allowed(*acl, Operation::kCreate, "secret/foo", bad));
  EXPECT_FALSE(Allowed(*acl, Operation::kUpdate, "secret/foo", bad));
  EXPECT_FALSE(Allowed(*acl, Operation::kPatch, "secret/foo", bad));
  EXPECT_TRUE(Allowed(*acl, Operation::kDelete, "secret/foo", bad));
  EXPECT_TRUE(Allowed(*acl, Operation::kList, "secret/foo", bad));
}

TEST(ParameterConstraints, ANonObjectBodyCountsAsNoParameters) {
  auto acl = CompileText(R"(path "secret/foo" {
    capabilities = ["create"]
    allowed_parameters = { "ok" = [] }
  })");
  EXPECT_TRUE(CanCreate(*acl, json()));
  EXPECT_TRUE(CanCreate(*acl, json::array({1, 2})));
}

}  // namespace
}  // namespace coffer::core::policy
