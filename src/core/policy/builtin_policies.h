// The two built-in policies, and the rules on policy names that protect them.
//
// `root` grants everything on every path, sudo included; it has no text and
// can be neither written nor deleted. `default` is attached to tokens unless
// they opt out; it holds what every token needs about itself (look itself
// up, renew, revoke, its cubbyhole, response wrapping). Operators may
// rewrite `default` but not delete it, as in Vault.
#pragma once

#include <string>
#include <string_view>

#include "base/status.h"
#include "core/policy/policy.h"

namespace coffer::core::policy {

inline constexpr std::string_view kRootPolicyName = "root";
inline constexpr std::string_view kDefaultPolicyName = "default";

// RootPolicy is the built-in root policy. Acl::Compile recognises it by name.
const Policy& RootPolicy();

// DefaultPolicyText is the HCL of the built-in default policy, written for
// coffer (identity templating is not supported, so Vault's identity/entity
// self-lookup rules are left out).
std::string DefaultPolicyText();

// DefaultPolicy is DefaultPolicyText() parsed. The text is a constant
// covered by a unit test; should it ever fail to parse, that is a broken
// build, and the process aborts rather than run with a missing policy.
const Policy& DefaultPolicy();

// NormalizePolicyName lower-cases a policy name, as Vault does everywhere a
// policy is named (sys/policy paths, token policies).
std::string NormalizePolicyName(std::string_view name);

// CheckPolicyWritable refuses names that may not be written: empty, and
// "root" (InvalidArgument "cannot update \"root\" policy"). Pass a
// normalized name.
Status CheckPolicyWritable(std::string_view name);

// CheckPolicyDeletable refuses deleting "root" and "default"
// (InvalidArgument "cannot delete \"<name>\" policy"). Pass a normalized name.
Status CheckPolicyDeletable(std::string_view name);

}  // namespace coffer::core::policy
