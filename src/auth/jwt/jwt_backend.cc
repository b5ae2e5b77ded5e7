#include "auth/jwt/jwt_backend.h"

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "auth/jwt/jwt_config.h"
#include "auth/jwt/paths.h"
#include "core/framework/forwarding_engine.h"
#include "core/framework/framework_engine.h"

namespace coffer::auth::jwt {

namespace {

constexpr char kBackendHelp[] = R"(
The JWT auth method authenticates clients with a signed JSON Web Token
(an OIDC ID token, a Kubernetes service-account token, a CI job token...).
Its signature is checked against keys from jwt_validation_pubkeys, jwks_url
or oidc_discovery_url, and its claims against the role given at login.
)";

// JwtBackend serves the paths through a FrameworkEngine; it exists only so
// a login that names no role is counted for lockout against the mount's
// default_role, the role it logs in with.
class JwtBackend : public core::framework::ForwardingEngine {
 public:
  explicit JwtBackend(std::unique_ptr<core::framework::FrameworkEngine> paths)
      : ForwardingEngine(nullptr, std::move(paths)) {}

  std::string LoginAlias(const core::EngineRequest& request) const override {
    std::string alias = paths().LoginAlias(request);
    if (!alias.empty() || request.storage == nullptr || !paths().IsLoginPath(request.path)) {
      return alias;
    }
    Result<std::optional<JwtConfig>> config = ReadConfig(*request.storage);
    return config.ok() && config->has_value() ? (*config)->default_role : "";
  }
};

Result<std::unique_ptr<core::Engine>> NewFromConfig(const core::EngineConfig& config) {
  return NewJwtBackend(config.type.empty() ? "jwt" : config.type, &ApiClientGet);
}

}  // namespace

Result<std::unique_ptr<core::Engine>> NewJwtBackend(std::string type, HttpGet get) {
  auto state = std::make_shared<JwtState>(std::move(get));
  std::vector<core::framework::PathSpec> paths;
  paths.push_back(LoginPath(state));
  paths.push_back(ConfigPath(state));
  for (core::framework::PathSpec& spec : RolePaths(state)) {
    paths.push_back(std::move(spec));
  }
  COFFER_ASSIGN_OR_RETURN(
      std::unique_ptr<core::framework::FrameworkEngine> engine,
      core::framework::FrameworkEngine::Create(std::move(type), std::move(paths), kBackendHelp));
  return std::unique_ptr<core::Engine>(new JwtBackend(std::move(engine)));
}

COFFER_REGISTER_ENGINE("jwt", &NewFromConfig);
COFFER_REGISTER_ENGINE("oidc", &NewFromConfig);

}  // namespace coffer::auth::jwt
