#include "engines/database/database_backend.h"

#include <utility>
#include <vector>

#include "core/framework/framework_engine.h"
#include "engines/database/paths.h"
#include "engines/database/rotation.h"

namespace coffer::engines::database {

namespace {

constexpr char kBackendHelp[] = R"(
The database backend generates database credentials dynamically from
configured roles, and manages the passwords of existing users (static
roles). Connections are configured at config/<name> with a plugin
(postgresql-database-plugin or mysql-database-plugin); roles/<name> says
how to create a user and creds/<name> makes one under a lease.
)";

Result<std::unique_ptr<core::Engine>> NewDefaultDatabaseBackend(
    const core::EngineConfig& config) {
  return NewDatabaseBackend(config, &OpenPlugin);
}

}  // namespace

Result<std::unique_ptr<core::Engine>> NewDatabaseBackend(const core::EngineConfig&,
                                                         PluginOpener opener) {
  auto state = std::make_shared<DatabaseState>(std::move(opener));
  std::vector<core::framework::PathSpec> paths;
  for (auto* group : {&PathsConfig, &PathsRoles, &PathsStaticRoles, &PathsStaticCreds}) {
    for (core::framework::PathSpec& spec : (*group)(state)) {
      paths.push_back(std::move(spec));
    }
  }
  paths.push_back(PathRotateRoot(state));
  paths.push_back(PathCreds(state));
  COFFER_ASSIGN_OR_RETURN(
      std::unique_ptr<core::framework::FrameworkEngine> engine,
      core::framework::FrameworkEngine::Create("database", std::move(paths), kBackendHelp));
  engine->AddSecret(SecretCreds(state));
  engine->SetPeriodic(
      [state](const core::EngineRequest& context) { RunPeriodic(*state, context); });
  return std::unique_ptr<core::Engine>(std::move(engine));
}

COFFER_REGISTER_ENGINE("database", &NewDefaultDatabaseBackend);

}  // namespace coffer::engines::database
