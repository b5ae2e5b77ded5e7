#include "core/policy_store.h"

#include <gtest/gtest.h>

#include "storage/backend.h"

namespace coffer::core {
namespace {

struct Store {
  std::unique_ptr<storage::Backend> backend =
      std::move(storage::OpenBackend("inmem", {})).value();
  PolicyStore policies{*backend};
  Store() { EXPECT_TRUE(policies.OnUnseal().ok()); }
};

std::string ReadRule(const std::string& path) {
  return "path \"" + path + "\" { capabilities = [\"read\"] }";
}

// A policy set names one ACL whatever the order of its names or their
// repetition; the sorted, distinct list (a token's policies) is the common
// case and takes a shortcut that must agree with the general one.
TEST(PolicyStoreTest, APolicySetInAnyOrderOrWithRepeatsSharesOneCompiledAcl) {
  Store s;
  ASSERT_TRUE(s.policies.Put("a", ReadRule("secret/a")).ok());
  ASSERT_TRUE(s.policies.Put("b", ReadRule("secret/b")).ok());
  auto sorted = s.policies.AclFor({"a", "b", "default"});
  auto shuffled = s.policies.AclFor({"default", "b", "a", "b"});
  ASSERT_TRUE(sorted.ok());
  ASSERT_TRUE(shuffled.ok());
  EXPECT_EQ(sorted->get(), shuffled->get());
  EXPECT_NE((*sorted)->Capabilities("secret/a"), 0u);
  EXPECT_NE((*sorted)->Capabilities("secret/b"), 0u);
  auto other = s.policies.AclFor({"a", "default"});
  ASSERT_TRUE(other.ok());
  EXPECT_NE(other->get(), sorted->get());
  EXPECT_EQ((*other)->Capabilities("secret/b"), 0u);
}

// The cached ACL of a set follows a change of one of its policies.
TEST(PolicyStoreTest, ChangingAPolicyChangesTheAclOfEverySetHoldingIt) {
  Store s;
  ASSERT_TRUE(s.policies.Put("a", ReadRule("secret/a")).ok());
  auto before = s.policies.AclFor({"a", "default"});
  ASSERT_TRUE(before.ok());
  EXPECT_NE((*before)->Capabilities("secret/a"), 0u);
  ASSERT_TRUE(s.policies.Put("a", ReadRule("secret/z")).ok());
  auto after = s.policies.AclFor({"default", "a"});
  ASSERT_TRUE(after.ok());
  EXPECT_EQ((*after)->Capabilities("secret/a"), 0u);
  EXPECT_NE((*after)->Capabilities("secret/z"), 0u);
}

}  // namespace
}  // namespace coffer::core
