#include "auth/kubernetes/kubernetes_backend.h"

#include <utility>
#include <vector>

#include "auth/kubernetes/paths.h"
#include "core/framework/framework_engine.h"
#include "core/framework/key_locks.h"

namespace coffer::auth::kubernetes {

namespace {

constexpr const char* kHelp = R"(
The Kubernetes Auth Backend allows authentication for Kubernetes service accounts.
)";

// KubernetesBackend owns the role locks its paths refer to.
class KubernetesBackend : public core::Engine {
 public:
  KubernetesBackend(std::unique_ptr<core::framework::KeyLocks> locks,
                    std::unique_ptr<core::framework::FrameworkEngine> paths)
      : locks_(std::move(locks)), paths_(std::move(paths)) {}

  Result<core::Response> Handle(const core::EngineRequest& request) override {
    return paths_->Handle(request);
  }
  Result<bool> Exists(const core::EngineRequest& request) override {
    return paths_->Exists(request);
  }
  std::string_view Type() const override { return "kubernetes"; }
  bool IsLoginPath(std::string_view path) const override { return paths_->IsLoginPath(path); }
  std::string LoginAlias(const core::EngineRequest& request) const override {
    return paths_->LoginAlias(request);
  }

 private:
  // Declared before (destroyed after) the paths that hold a reference.
  const std::unique_ptr<core::framework::KeyLocks> locks_;
  const std::unique_ptr<core::framework::FrameworkEngine> paths_;
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
