// static-roles/<name> (create, update, read, delete) and LIST static-roles:
// existing database users whose password the engine owns and rotates
// every rotation_period (Vault's path_roles.go, static half).
#include <mutex>
#include <shared_mutex>

#include "core/framework/json_util.h"
#include "core/framework/path_pattern.h"
#include "core/framework/response_util.h"
#include "engines/database/paths.h"
#include "engines/database/rotation.h"

namespace coffer::engines::database {

namespace {

using core::EngineRequest;
using core::Operation;
using core::Response;
using core::framework::FieldData;
using core::framework::FieldType;
using core::framework::PathSpec;
using nlohmann::json;

// Vault's floor: rotating more often than this only loads the database.
constexpr int64_t kMinRotationPeriod = 5;

// ApplyStaticRoleFields merges the request into `role`; nothing is written.
Status ApplyStaticRoleFields(const FieldData& fields, bool creating, StaticRoleEntry* role) {
  if (fields.Provided("db_name")) {
    std::string db_name = fields.GetString("db_name");
    if (!creating && db_name != role->db_name) {
      // The stored password belongs to the user in the first database.
      return Status::InvalidArgument("cannot update static role db_name");
    }
    role->db_name = std::move(db_name);
  }
  if (role->db_name.empty()) {
    return Status::InvalidArgument("database name is a required field");
  }
  if (fields.Provided("username")) {
    std::string username = fields.GetString("username");
    if (!creating && username != role->username) {
      return Status::InvalidArgument("cannot update static account username");
    }
    role->username = std::move(username);
  }
  if (role->username.empty()) {
    return Status::InvalidArgument("username is a required field to create a static account");
  }
  if (fields.Provided("rotation_period")) {
    role->rotation_period = fields.GetDuration("rotation_period");
  } else if (creating) {
    return Status::InvalidArgument("rotation_period is required to create static accounts");
  }
  if (role->rotation_period < kMinRotationPeriod) {
    return Status::InvalidArgument("rotation_period must be 5 seconds or more");
  }
  if (fields.Provided("rotation_statements")) {
    role->rotation_statements = fields.GetStrings("rotation_statements");
  }
  return CheckCredentialType(fields, &role->credential_type);
}

Result<Response> HandleStaticRoleWrite(const StatePtr& state, const EngineRequest& request,
                                       const FieldData& fields) {
  const std::string name = fields.GetString("name");
  const std::string key = DatabaseState::StaticRoleKey(name);
  std::unique_lock<std::shared_mutex> lock(state->Lock(key));
  COFFER_ASSIGN_OR_RETURN(std::optional<StaticRoleEntry> stored,
                          DatabaseState::ReadStaticRole(*request.storage, name));
  const bool creating = !stored.has_value();
  if (creating) {
    COFFER_RETURN_IF_ERROR(CheckNameUnused(*request.storage, DatabaseState::RoleKey(name)));
  }
  StaticRoleEntry role = creating ? StaticRoleEntry() : std::move(*stored);
  COFFER_RETURN_IF_ERROR(ApplyStaticRoleFields(fields, creating, &role));
  COFFER_ASSIGN_OR_RETURN(std::optional<DbConfig> config,
                          DatabaseState::ReadConfig(*request.storage, role.db_name));
  if (!config) {
    return ConfigNotFound(role.db_name);
  }
  COFFER_RETURN_IF_ERROR(CheckRoleAllowed(*config, name));

  if (creating) {
    // The first rotation makes the password one only the engine knows; it
    // also stores the role, so a failure stores nothing.
    COFFER_RETURN_IF_ERROR(RotateStaticRole(*state, request, name, std::move(role), true));
    state->ClearRetry(key);
    return Response::NoContent();
  }
  COFFER_ASSIGN_OR_RETURN(std::string encoded, core::framework::EncodeJson(role.ToStored()));
  COFFER_RETURN_IF_ERROR(request.storage->Put(key, encoded));
  return Response::NoContent();
}

Result<Response> HandleStaticRoleRead(const EngineRequest& request, const FieldData& fields) {
  return ReadResponse(DatabaseState::ReadStaticRole(*request.storage, fields.GetString("name")));
}

Result<Response> HandleStaticRoleDelete(const StatePtr& state, const EngineRequest& request,
                                        const FieldData& fields) {
  const std::string name = fields.GetString("name");
  const std::string key = DatabaseState::StaticRoleKey(name);
  std::unique_lock<std::shared_mutex> lock(state->Lock(key));
  // The database user stays, with the last password (as in Vault).
  COFFER_RETURN_IF_ERROR(
      request.storage->Transaction({storage::TxnOp::Delete(key),
                                    storage::TxnOp::Delete(DatabaseState::StaticWalKey(name))}));
  state->ClearRetry(key);
  return Response::NoContent();
}

}  // namespace

std::vector<PathSpec> PathsStaticRoles(StatePtr state) {
  std::vector<PathSpec> paths;

  paths.push_back(ListPath("static-roles/?", "static-role/",
                           "Manage the static roles that can be created with this backend.",
                           "Lists the static roles."));

  PathSpec role;
  role.pattern = "static-roles/" + core::framework::GenericName("name");
  role.fields = {
      {"name", NameField("Name of the static role.")},
      {"db_name", {FieldType::kString, json(), false, "Name of the database connection."}},
      {"username",
       {FieldType::kString, json(), false,
        "The database user this role manages; fixed once created."}},
      {"rotation_period",
       {FieldType::kDuration, json(), false,
        "How often the password is rotated; at least 5 seconds."}},
      {"rotation_statements",
       {FieldType::kStringSlice, json(), false,
        "Statements that set the password (empty: the plugin's default)."}},
      {"credential_type",
       {FieldType::kString, json(), false, "Type of credential managed; only \"password\"."}},
      {"credential_config",
       {FieldType::kMap, json(), false, "Accepted for compatibility; unused for passwords."}},
  };
  role.operations = {
      {Operation::kCreate, WithState(state, HandleStaticRoleWrite)},
      {Operation::kUpdate, WithState(state, HandleStaticRoleWrite)},
      {Operation::kRead, HandleStaticRoleRead},
      {Operation::kDelete, WithState(state, HandleStaticRoleDelete)},
  };
  role.exists = KeyExists(DatabaseState::StaticRoleKey);
  role.help_synopsis = "Manage the static roles that can be created with this backend.";
  role.help_description = R"(
A static role ties a name to one existing database user. Creating it sets a
new password at once, so that only the server knows it, and the password is
rotated again every rotation_period; static-creds/<name> reads it.
)";
  paths.push_back(std::move(role));
  return paths;
}

}  // namespace coffer::engines::database
