// Capability names: Vault's spelling, and the sys/capabilities rendering.
#include <gtest/gtest.h>

#include "core/policy/capabilities.h"

namespace coffer::core::policy {
namespace {

TEST(Capabilities, EveryVaultNameMapsToItsFlag) {
  EXPECT_EQ(CapabilityFromName("create"), kCreate);
  EXPECT_EQ(CapabilityFromName("read"), kRead);
  EXPECT_EQ(CapabilityFromName("update"), kUpdate);
  EXPECT_EQ(CapabilityFromName("patch"), kPatch);
  EXPECT_EQ(CapabilityFromName("delete"), kDelete);
  EXPECT_EQ(CapabilityFromName("list"), kList);
  EXPECT_EQ(CapabilityFromName("sudo"), kSudo);
  EXPECT_EQ(CapabilityFromName("deny"), kDeny);
  EXPECT_FALSE(CapabilityFromName("root").has_value());
  EXPECT_FALSE(CapabilityFromName("READ").has_value());
  EXPECT_FALSE(CapabilityFromName("").has_value());
}

TEST(Capabilities, NamesComeOutSorted) {
  EXPECT_EQ(CapabilityNames(kRead | kCreate), (std::vector<std::string>{"create", "read"}));
  EXPECT_EQ(CapabilityNames(kAllCapabilities),
            (std::vector<std::string>{"create", "delete", "list", "patch", "read", "sudo", "update"}));
}

TEST(Capabilities, DenyOrNothingRendersAsDenyAlone) {
  EXPECT_EQ(CapabilityNames(kDeny), (std::vector<std::string>{"deny"}));
  EXPECT_EQ(CapabilityNames(kDeny | kRead), (std::vector<std::string>{"deny"}));
  EXPECT_EQ(CapabilityNames(0), (std::vector<std::string>{"deny"}));
}

}  // namespace
}  // namespace coffer::core::policy
