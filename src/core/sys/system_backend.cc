#include "core/builtin_backends.h"
#include "core/framework/framework_engine.h"
#include "core/sys/sys_paths.h"

namespace coffer::core {

Result<std::unique_ptr<Engine>> MakeSystemBackend(Core& core) {
  std::vector<framework::PathSpec> paths;
  for (auto group : {sys::MountPaths(core), sys::PolicyPaths(core), sys::CapabilityPaths(core),
                     sys::AuditPaths(core), sys::LockedUserPaths(core),
                     sys::LeasePaths(core), sys::PasswordPolicyPaths(core),
                     sys::ToolPaths(), sys::WrappingPaths()}) {
    for (auto& p : group) {
      paths.push_back(std::move(p));
    }
  }
  COFFER_ASSIGN_OR_RETURN(auto engine,
                          framework::FrameworkEngine::Create(
                              "system", std::move(paths),
                              "The system backend: mounts, policies, capabilities, wrapping "
                              "and tools."));
  return std::unique_ptr<Engine>(std::move(engine));
}

}  // namespace coffer::core
