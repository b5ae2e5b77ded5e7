// Capabilities: what a policy rule grants on a path, as bit flags, and the
// names Vault uses for them in policies and in sys/capabilities answers.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace coffer::core::policy {

// The bit values are Vault's (vault/policy.go), so a bitmap read from a
// Vault debug dump means the same thing here.
inline constexpr uint32_t kDeny = 1u << 0;
inline constexpr uint32_t kCreate = 1u << 1;
inline constexpr uint32_t kRead = 1u << 2;
inline constexpr uint32_t kUpdate = 1u << 3;
inline constexpr uint32_t kDelete = 1u << 4;
inline constexpr uint32_t kList = 1u << 5;
inline constexpr uint32_t kSudo = 1u << 6;
inline constexpr uint32_t kPatch = 1u << 7;

// kAllCapabilities is everything but deny: what the root policy grants.
inline constexpr uint32_t kAllCapabilities =
    kCreate | kRead | kUpdate | kPatch | kDelete | kList | kSudo;

// CapabilityFromName returns the flag for a policy capability name
// ("create", "read", "update", "patch", "delete", "list", "sudo", "deny"),
// or nullopt for anything else. Names are case-sensitive, as in Vault.
std::optional<uint32_t> CapabilityFromName(std::string_view name);

// CapabilityNames renders a bitmap the way sys/capabilities answers:
// the granted names sorted alphabetically, or ["deny"] alone when the deny
// bit is set or nothing is granted.
std::vector<std::string> CapabilityNames(uint32_t capabilities);

}  // namespace coffer::core::policy
