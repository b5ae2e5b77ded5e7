#include "core/policy/capabilities.h"

#include <array>
#include <utility>

namespace coffer::core::policy {

namespace {

// Sorted by name, so CapabilityNames comes out sorted without a sort.
constexpr std::array<std::pair<std::string_view, uint32_t>, 8> kByName = {{
    {"create", kCreate},
    {"delete", kDelete},
    {"deny", kDeny},
    {"list", kList},
    {"patch", kPatch},
    {"read", kRead},
    {"sudo", kSudo},
    {"update", kUpdate},
}};

}  // namespace

std::optional<uint32_t> CapabilityFromName(std::string_view name) {
  for (const auto& [capability_name, flag] : kByName) {
    if (capability_name == name) {
      return flag;
    }
  }
  return std::nullopt;
}

std::vector<std::string> CapabilityNames(uint32_t capabilities) {
  if ((capabilities & kDeny) != 0) {
    return {"deny"};
  }
  std::vector<std::string> names;
  for (const auto& [capability_name, flag] : kByName) {
    if ((capabilities & flag) != 0) {
      names.emplace_back(capability_name);
    }
  }
  if (names.empty()) {
    return {"deny"};
  }
  return names;
}

}  // namespace coffer::core::policy
