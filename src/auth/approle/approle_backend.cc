#include "auth/approle/approle_backend.h"

#include <utility>
#include <vector>

#include "auth/approle/paths.h"
#include "core/framework/framework_engine.h"

namespace coffer::auth::approle {

namespace {

constexpr char kBackendHelp[] = R"(
Any registered role can authenticate itself with Vault. The credentials
depend on the constraints set on the role: 'bind_secret_id' (on by default)
requires a SecretID issued against the role in addition to its RoleID, and
'secret_id_bound_cidrs' limits the addresses that may log in. Tokens issued
at login take the role's token_* settings.
)";

}  // namespace

Result<std::unique_ptr<core::Engine>> NewAppRoleBackend(const core::EngineConfig&) {
  auto state = std::make_shared<AppRoleState>();
  std::vector<core::framework::PathSpec> paths;
  paths.push_back(PathLogin(state));
  for (auto* group : {&PathsRole, &PathsSecretId, &PathsSecretIdLookup}) {
    for (core::framework::PathSpec& spec : (*group)(state)) {
      paths.push_back(std::move(spec));
    }
  }
  paths.push_back(PathTidy(state));
  COFFER_ASSIGN_OR_RETURN(
      std::unique_ptr<core::framework::FrameworkEngine> engine,
      core::framework::FrameworkEngine::Create("approle", std::move(paths), kBackendHelp));
  // Roles, secret IDs and logins only read and write storage.
  engine->SetWritesOnlyStorage();
  return std::unique_ptr<core::Engine>(std::move(engine));
}

COFFER_REGISTER_ENGINE("approle", &NewAppRoleBackend);

}  // namespace coffer::auth::approle
