#include "auth/kubernetes/kubernetes_backend.h"

#include <utility>
#include <vector>

#include "auth/kubernetes/paths.h"
#include "core/framework/forwarding_engine.h"
#include "core/framework/framework_engine.h"
#include "core/framework/key_locks.h"

namespace coffer::auth::kubernetes {

namespace {

constexpr const char* kHelp = R"(
The Kubernetes Auth Backend allows authentication for Kubernetes service accounts.
)";

// KubernetesBackend owns the role locks its paths refer to.
class KubernetesBackend : public core::framework::ForwardingEngine {
 public:
  KubernetesBackend(std::unique_ptr<core::framework::KeyLocks> locks,
                    std::unique_ptr<core::framework::FrameworkEngine> paths)
      : ForwardingEngine(std::move(locks), std::move(paths)) {}
};

Result<std::unique_ptr<core::Engine>> NewKubernetes(const core::EngineConfig&) {
  return CreateKubernetesBackend(std::make_shared<HttpTokenReviewer>());
}

}  // namespace

Result<std::unique_ptr<core::Engine>> CreateKubernetesBackend(
    std::shared_ptr<const TokenReviewer> reviewer, std::string local_service_account_dir) {
  auto locks = std::make_unique<core::framework::KeyLocks>();
  std::vector<core::framework::PathSpec> paths;
  paths.push_back(ConfigPath());
  paths.push_back(RoleListPath());
  paths.push_back(RolePath(*locks));
  paths.push_back(LoginPath(LoginDeps{std::move(reviewer), std::move(local_service_account_dir)}));
  COFFER_ASSIGN_OR_RETURN(
      std::unique_ptr<core::framework::FrameworkEngine> engine,
      core::framework::FrameworkEngine::Create("kubernetes", std::move(paths), kHelp));
  return std::unique_ptr<core::Engine>(
      std::make_unique<KubernetesBackend>(std::move(locks), std::move(engine)));
}

COFFER_REGISTER_ENGINE("kubernetes", &NewKubernetes);

}  // namespace coffer::auth::kubernetes
