// Acl evaluation: operations and their capabilities, sudo, help, list
// paths, wrapping TTLs, merging across policies, and the built-in policies.
#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "core/policy/builtin_policies.h"
#include "core/policy/capabilities.h"
#include "policy_testing.h"

namespace coffer::core::policy {
namespace {

using core::Operation;
using testing::Allowed;
using testing::CanRead;
using testing::CompileText;
using testing::CompileTexts;
using testing::Parse;

// Name is for failure messages (core's OperationName lives in a library
// this test does not link).
const char* Name(Operation op) {
  switch (op) {
    case Operation::kRead: return "read";
    case Operation::kCreate: return "create";
    case Operation::kUpdate: return "update";
    case Operation::kPatch: return "patch";
    case Operation::kDelete: return "delete";
    case Operation::kList: return "list";
    case Operation::kHelp: return "help";
  }
  return "?";
}

TEST(AclOperations, EachOperationNeedsItsOwnCapability) {
  struct Case {
    const char* capability;
    Operation operation;
  };
  const Case cases[] = {
      {"read", Operation::kRead},     {"list", Operation::kList},
      {"create", Operation::kCreate}, {"update", Operation::kUpdate},
      {"patch", Operation::kPatch},   {"delete", Operation::kDelete},
  };
  const Operation all[] = {Operation::kRead,  Operation::kList,  Operation::kCreate,
                           Operation::kUpdate, Operation::kPatch, Operation::kDelete};
  for (const Case& c : cases) {
    auto acl = CompileText(std::string("path \"secret/x\" { capabilities = [\"") + c.capability + "\"] }");
    for (Operation op : all) {
      EXPECT_EQ(Allowed(*acl, op, "secret/x"), op == c.operation)
          << c.capability << " vs " << Name(op);
    }
  }
}

TEST(AclOperations, DeniedRequestIsPermissionDenied) {
  auto acl = CompileText(R"(path "secret/x" { capabilities = ["read"] })");
  Status status = acl->Allows(Operation::kDelete, "secret/x", nlohmann::json::object(), false);
  EXPECT_EQ(status.code(), Code::kPermissionDenied);
  EXPECT_EQ(status.message(), "permission denied");
}

TEST(AclOperations, EmptyAclDeniesEverything) {
  auto acl = CompileTexts({});
  EXPECT_FALSE(CanRead(*acl, "secret/x"));
  EXPECT_FALSE(acl->IsRoot());
  EXPECT_EQ(acl->Capabilities("secret/x"), 0u);
}

TEST(AclSudo, RootProtectedPathNeedsSudoAsWellAsTheCapability) {
  auto acl = CompileText(R"(
path "sys/audit/*" { capabilities = ["update", "sudo"] }
path "sys/raw/*"   { capabilities = ["update"] }
path "sys/only-sudo" { capabilities = ["sudo"] })");
  EXPECT_TRUE(Allowed(*acl, Operation::kUpdate, "sys/audit/file", {}, /*needs_sudo=*/true));
  EXPECT_FALSE(Allowed(*acl, Operation::kUpdate, "sys/raw/x", {}, /*needs_sudo=*/true));
  EXPECT_TRUE(Allowed(*acl, Operation::kUpdate, "sys/raw/x", {}, /*needs_sudo=*/false));
  EXPECT_FALSE(Allowed(*acl, Operation::kUpdate, "sys/only-sudo", {}, /*needs_sudo=*/true))
      << "sudo alone grants no operation";

  AccessRequest request;
  request.operation = Operation::kUpdate;
  request.path = "sys/audit/file";
  Check check = acl->Evaluate(request);
  EXPECT_TRUE(check.allowed);
  EXPECT_TRUE(check.root_privs);
  EXPECT_FALSE(check.is_root);
}

TEST(AclHelp, HelpIsAllowedToAnyTokenAsInVault) {
  auto acl = CompileTexts({});
  EXPECT_TRUE(Allowed(*acl, Operation::kHelp, "secret/x"));
  EXPECT_TRUE(Allowed(*acl, Operation::kHelp, "sys/audit", {}, /*needs_sudo=*/true));
}

TEST(AclList, ListWithTrailingSlashFindsTheRuleWithoutIt) {
  auto acl = CompileText(R"(
path "secret/metadata" { capabilities = ["list"] }
path "kv/+"            { capabilities = ["list"] })");
  EXPECT_TRUE(Allowed(*acl, Operation::kList, "secret/metadata/"));
  EXPECT_TRUE(Allowed(*acl, Operation::kList, "kv/team/"));
  EXPECT_FALSE(Allowed(*acl, Operation::kRead, "secret/metadata/"))
      << "only list requests drop the slash";
  EXPECT_EQ(acl->Capabilities("secret/metadata/"), kList) << "sys/capabilities looks up as list";
}

TEST(AclList, ExactRuleWithTheSlashComesFirst) {
  auto acl = CompileText(R"(
path "secret/dir"  { capabilities = ["deny"] }
path "secret/dir/" { capabilities = ["list"] })");
  EXPECT_TRUE(Allowed(*acl, Operation::kList, "secret/dir/"));
}

TEST(AclWrapping, MinWrappingTtlMakesWrappingMandatory) {
  auto acl = CompileText(R"(
path "auth/approle/role/my-role/secret-id" {
  capabilities = ["create", "update"]
  min_wrapping_ttl = "1s"
  max_wrapping_ttl = "90s"
})");
  AccessRequest request;
  request.operation = Operation::kUpdate;
  request.path = "auth/approle/role/my-role/secret-id";
  EXPECT_FALSE(acl->Evaluate(request).allowed) << "not wrapped";
  request.wrap_ttl_seconds = 60;
  EXPECT_TRUE(acl->Evaluate(request).allowed);
  request.wrap_ttl_seconds = 91;
  EXPECT_FALSE(acl->Evaluate(request).allowed) << "above max";
  request.wrap_ttl_seconds = 0;
  EXPECT_FALSE(acl->Evaluate(request).allowed) << "below min";
}

TEST(AclMerge, SamePatternInTwoPoliciesUnitesCapabilities) {
  auto acl = CompileTexts({R"(path "secret/shared" { capabilities = ["read"] })",
                           R"(path "secret/shared" { capabilities = ["update", "list"] })"});
  EXPECT_EQ(acl->Capabilities("secret/shared"), kRead | kUpdate | kList);
  EXPECT_EQ(acl->rule_count(), 1u);
}

TEST(AclMerge, DenyInEitherPolicyWinsWhateverTheOrder) {
  std::string grant = R"(path "secret/+/x" { capabilities = ["read", "sudo"] })";
  std::string deny = R"(path "secret/+/x" { capabilities = ["deny"] })";
  for (const auto& texts : {std::vector<std::string>{grant, deny}, std::vector<std::string>{deny, grant}}) {
    auto acl = CompileTexts(texts);
    EXPECT_FALSE(CanRead(*acl, "secret/a/x"));
    EXPECT_EQ(acl->Capabilities("secret/a/x"), kDeny);
  }
}

TEST(AclMerge, SamePatternTwiceInOnePolicyIsMergedToo) {
  auto acl = CompileText(R"(
path "a" { capabilities = ["read"] }
path "a" { capabilities = ["list"] })");
  EXPECT_EQ(acl->Capabilities("a"), kRead | kList);
}

TEST(AclMerge, GlobAndExactOfTheSameTextAreDifferentPatterns) {
  auto acl = CompileTexts({R"(path "secret/foo" { capabilities = ["read"] })",
                           R"(path "secret/foo*" { capabilities = ["deny"] })"});
  EXPECT_TRUE(CanRead(*acl, "secret/foo"));
  EXPECT_FALSE(CanRead(*acl, "secret/food"));
}

TEST(AclMerge, ParameterListsAreJoinedAndAnyValueWins) {
  auto acl = CompileTexts({R"(path "s" {
    capabilities = ["create"]
    allowed_parameters = { "color" = ["red"], "size" = ["s"] }
  })",
                           R"(path "s" {
    capabilities = ["create"]
    allowed_parameters = { "color" = ["blue"], "size" = [] }
  })"});
  EXPECT_TRUE(Allowed(*acl, Operation::kCreate, "s", {{"color", "red"}}));
  EXPECT_TRUE(Allowed(*acl, Operation::kCreate, "s", {{"color", "blue"}}));
  EXPECT_FALSE(Allowed(*acl, Operation::kCreate, "s", {{"color", "green"}}));
  EXPECT_TRUE(Allowed(*acl, Operation::kCreate, "s", {{"size", "xxl"}}));
}

TEST(AclMerge, WrappingBoundsKeepTheSmallerValue) {
  auto acl = CompileTexts({R"(path "w" { capabilities = ["read"], max_wrapping_ttl = 300 })",
                           R"(path "w" { capabilities = ["read"], max_wrapping_ttl = 60 })"});
  AccessRequest request;
  request.path = "w";
  request.wrap_ttl_seconds = 120;
  EXPECT_FALSE(acl->Evaluate(request).allowed);
  request.wrap_ttl_seconds = 60;
  EXPECT_TRUE(acl->Evaluate(request).allowed);
}

TEST(AclRoot, RootAllowsEverythingIncludingSudo) {
  Result<std::shared_ptr<const Acl>> acl = Acl::Compile({RootPolicy()});
  ASSERT_TRUE(acl.ok());
  EXPECT_TRUE((*acl)->IsRoot());
  EXPECT_TRUE(Allowed(**acl, Operation::kDelete, "sys/audit/file", {}, /*needs_sudo=*/true));
  EXPECT_TRUE(Allowed(**acl, Operation::kCreate, "any/path", {{"x", 1}}));
  EXPECT_EQ((*acl)->Capabilities("anything"), kAllCapabilities);
  EXPECT_EQ((*acl)->CapabilityNamesFor("anything"), (std::vector<std::string>{"root"}));
  AccessRequest request;
  request.path = "x";
  Check check = (*acl)->Evaluate(request);
  EXPECT_TRUE(check.is_root);
  EXPECT_TRUE(check.root_privs);
}

TEST(AclRoot, RootAmongOtherPoliciesStillMakesARootAcl) {
  std::vector<Policy> policies = {Parse(R"(path "*" { capabilities = ["deny"] })"), RootPolicy()};
  Result<std::shared_ptr<const Acl>> acl = Acl::Compile(policies);
  ASSERT_TRUE(acl.ok());
  EXPECT_TRUE((*acl)->IsRoot());
  EXPECT_TRUE(CanRead(**acl, "secret/x"));
}

TEST(AclRoot, InvalidPatternInAHandBuiltPolicyFailsCompile) {
  Policy policy;
  policy.name = "hand";
  policy.rules.push_back(PathRule{"a/*/b", kRead});
  Result<std::shared_ptr<const Acl>> acl = Acl::Compile({policy});
  ASSERT_FALSE(acl.ok());
  EXPECT_TRUE(acl.status().IsInvalidArgument());
}

TEST(BuiltinPolicies, DefaultPolicyParsesAndLetsATokenManageItself) {
  const Policy& policy = DefaultPolicy();
  EXPECT_EQ(policy.name, "default");
  EXPECT_EQ(policy.text, DefaultPolicyText());
  Result<std::shared_ptr<const Acl>> compiled = Acl::Compile({policy});
  ASSERT_TRUE(compiled.ok());
  const Acl& acl = **compiled;
  EXPECT_TRUE(Allowed(acl, Operation::kRead, "auth/token/lookup-self"));
  EXPECT_TRUE(Allowed(acl, Operation::kUpdate, "auth/token/renew-self"));
  EXPECT_TRUE(Allowed(acl, Operation::kUpdate, "auth/token/revoke-self"));
  EXPECT_TRUE(Allowed(acl, Operation::kUpdate, "sys/capabilities-self"));
  EXPECT_TRUE(Allowed(acl, Operation::kRead, "sys/internal/ui/resultant-acl"));
  EXPECT_TRUE(Allowed(acl, Operation::kUpdate, "sys/leases/lookup"));
  EXPECT_TRUE(Allowed(acl, Operation::kUpdate, "sys/leases/renew"));
  EXPECT_TRUE(Allowed(acl, Operation::kUpdate, "sys/wrapping/wrap"));
  EXPECT_TRUE(Allowed(acl, Operation::kUpdate, "sys/wrapping/lookup"));
  EXPECT_TRUE(Allowed(acl, Operation::kUpdate, "sys/wrapping/unwrap"));
  EXPECT_TRUE(Allowed(acl, Operation::kUpdate, "sys/tools/hash/sha2-256"));
  EXPECT_TRUE(Allowed(acl, Operation::kUpdate, "sys/control-group/request"));
  for (Operation op : {Operation::kCreate, Operation::kRead, Operation::kUpdate, Operation::kDelete,
                       Operation::kList}) {
    EXPECT_TRUE(Allowed(acl, op, "cubbyhole/my/secret")) << Name(op);
  }
  EXPECT_FALSE(Allowed(acl, Operation::kRead, "secret/foo"));
  EXPECT_FALSE(Allowed(acl, Operation::kUpdate, "auth/token/create"));
  EXPECT_FALSE(Allowed(acl, Operation::kRead, "sys/policy/default"));
}

TEST(BuiltinPolicies, RootAndDefaultAreProtected) {
  EXPECT_EQ(NormalizePolicyName("Dev-Team"), "dev-team");
  EXPECT_TRUE(CheckPolicyWritable("default").ok());
  EXPECT_TRUE(CheckPolicyWritable("dev").ok());
  EXPECT_EQ(CheckPolicyWritable("root").message(), "cannot update \"root\" policy");
  EXPECT_TRUE(CheckPolicyWritable("").IsInvalidArgument());
  EXPECT_EQ(CheckPolicyDeletable("root").message(), "cannot delete \"root\" policy");
  EXPECT_EQ(CheckPolicyDeletable("default").message(), "cannot delete \"default\" policy");
  EXPECT_TRUE(CheckPolicyDeletable("dev").ok());
  EXPECT_TRUE(RootPolicy().rules.empty());
  EXPECT_EQ(RootPolicy().name, "root");
}

TEST(AclThreads, OneAclAnswersManyThreadsAtOnce) {
  auto acl = CompileText(R"(
path "secret/*"      { capabilities = ["read"] }
path "secret/+/priv" { capabilities = ["deny"] })");
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&acl, &wrong] {
      for (int i = 0; i < 2000; ++i) {
        std::string team = "t" + std::to_string(i % 17);
        if (!CanRead(*acl, "secret/" + team + "/pub") || CanRead(*acl, "secret/" + team + "/priv")) {
          ++wrong;
        }
      }
    });
  }
  for (std::thread& thread : threads) {
    thread.join();
  }
  EXPECT_EQ(wrong.load(), 0);
}

}  // namespace
}  // namespace coffer::core::policy
