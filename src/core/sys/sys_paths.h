// The system backend (sys/) is assembled from one group of paths per
// resource, as Vault's logical_system_*.go files are.
#pragma once

#include <vector>

#include "core/framework/path.h"

namespace coffer::core {
class Core;
}

namespace coffer::core::sys {

std::vector<framework::PathSpec> MountPaths(Core& core);
std::vector<framework::PathSpec> PolicyPaths(Core& core);
std::vector<framework::PathSpec> CapabilityPaths(Core& core);
std::vector<framework::PathSpec> AuditPaths(Core& core);
std::vector<framework::PathSpec> LockedUserPaths(Core& core);
std::vector<framework::PathSpec> LeasePaths(Core& core);
std::vector<framework::PathSpec> PasswordPolicyPaths(Core& core);
std::vector<framework::PathSpec> ToolPaths();
std::vector<framework::PathSpec> WrappingPaths();

}  // namespace coffer::core::sys
