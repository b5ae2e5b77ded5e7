// static-creds/<name> (read) and rotate-role/<name> (update): a static
// role's current password, and rotating it on demand (Vault's
// path_creds_create.go and path_rotate_credentials.go, static halves).
#include <algorithm>
#include <mutex>
#include <shared_mutex>

#include "core/framework/path_pattern.h"
#include "core/framework/time_format.h"
#include "engines/database/paths.h"
#include "engines/database/rotation.h"

namespace coffer::engines::database {

namespace {

using core::EngineRequest;
using core::Operation;
using core::Response;
using core::framework::FieldData;
using core::framework::PathSpec;
using nlohmann::json;

Result<Response> HandleStaticCreds(const StatePtr& state, const EngineRequest& request,
                                   const FieldData& fields) {
  const std::string name = fields.GetString("name");
  std::shared_lock<std::shared_mutex> lock(state->Lock(DatabaseState::StaticRoleKey(name)));
  COFFER_ASSIGN_OR_RETURN(std::optional<StaticRoleEntry> role,
                          DatabaseState::ReadStaticRole(*request.storage, name));
  if (!role) {
    return Status::InvalidArgument("unknown role: " + name);
  }
  COFFER_ASSIGN_OR_RETURN(std::optional<DbConfig> config,
                          DatabaseState::ReadConfig(*request.storage, role->db_name));
  if (!config) {
    return ConfigNotFound(role->db_name);
  }
  COFFER_RETURN_IF_ERROR(CheckRoleAllowed(*config, name));
  const int64_t now = core::framework::UnixNanos(request.clock->Now());
  const int64_t ttl = std::max<int64_t>(0, (role->NextRotation() - now) / 1'000'000'000LL);
  return Response::Data(
      json{{"username", role->username},
           {"password", role->password},
           {"last_vault_rotation", core::framework::FormatRfc3339Nano(role->last_vault_rotation)},
           {"rotation_period", role->rotation_period},
           {"ttl", ttl}});
}

Result<Response> HandleRotateRole(const StatePtr& state, const EngineRequest& request,
                                  const FieldData& fields) {
  const std::string name = fields.GetString("name");
  const std::string key = DatabaseState::StaticRoleKey(name);
  std::unique_lock<std::shared_mutex> lock(state->Lock(key));
  COFFER_ASSIGN_OR_RETURN(std::optional<StaticRoleEntry> role,
                          DatabaseState::ReadStaticRole(*request.storage, name));
  if (!role) {
    return Status::InvalidArgument("no static role found for role name \"" + name + "\"");
  }
  COFFER_RETURN_IF_ERROR(RotateStaticRole(*state, request, name, std::move(*role), false));
  state->ClearRetry(key);
  return Response::NoContent();
}

}  // namespace

std::vector<PathSpec> PathsStaticCreds(StatePtr state) {
  std::vector<PathSpec> paths;

  PathSpec creds;
  creds.pattern = "static-creds/" + core::framework::GenericName("name");
  creds.fields = {{"name", NameField("Name of the static role.")}};
  creds.operations = {{Operation::kRead, WithState(state, HandleStaticCreds)}};
  creds.help_synopsis = "Request database credentials for a certain static role.";
  creds.help_description = R"(
Returns the static role's user name and current password, when it was last
rotated, and the seconds until the next rotation (ttl).
)";
  paths.push_back(std::move(creds));

  PathSpec rotate;
  rotate.pattern = "rotate-role/" + core::framework::GenericName("name");
  rotate.fields = {{"name", NameField("Name of the static role.")}};
  rotate.operations = {{Operation::kUpdate, WithState(state, HandleRotateRole)}};
  rotate.help_synopsis = "Request to rotate the credentials for a static user account.";
  rotate.help_description =
      "Rotates the static role's password now; the next rotation is one rotation_period later.";
  paths.push_back(std::move(rotate));
  return paths;
}

}  // namespace coffer::engines::database
