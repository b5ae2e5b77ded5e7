// roles/<name> (create, update, read, delete) and LIST roles: the dynamic
// roles, whose creds make a new database user per lease (Vault's
// path_roles.go).
#include <mutex>
#include <shared_mutex>

#include "core/framework/json_util.h"
#include "core/framework/path_pattern.h"
#include "core/framework/response_util.h"
#include "engines/database/paths.h"

namespace coffer::engines::database {

namespace {

using core::EngineRequest;
using core::Operation;
using core::Response;
using core::framework::FieldData;
using core::framework::FieldType;
using core::framework::PathSpec;
using nlohmann::json;

// ApplyRoleFields merges the request into `role`; nothing is written.
Status ApplyRoleFields(const FieldData& fields, RoleEntry* role) {
  if (fields.Provided("db_name")) {
    role->db_name = fields.GetString("db_name");
  }
  if (role->db_name.empty()) {
    return Status::InvalidArgument("database name is required");
  }
  if (fields.Provided("creation_statements")) {
    role->creation_statements = fields.GetStrings("creation_statements");
  }
  if (role->creation_statements.empty()) {
    return Status::InvalidArgument("creation_statements is required");
  }
  for (auto [field, target] :
       {std::pair{"revocation_statements", &role->revocation_statements},
        std::pair{"rollback_statements", &role->rollback_statements},
        std::pair{"renew_statements", &role->renew_statements}}) {
    if (fields.Provided(field)) {
      *target = fields.GetStrings(field);
    }
  }
  if (fields.Provided("default_ttl")) {
    role->default_ttl = fields.GetDuration("default_ttl");
  }
  if (fields.Provided("max_ttl")) {
    role->max_ttl = fields.GetDuration("max_ttl");
  }
  if (role->default_ttl > 0 && role->max_ttl > 0 && role->default_ttl > role->max_ttl) {
    return Status::InvalidArgument("ttl cannot be greater than max_ttl");
  }
  return CheckCredentialType(fields, &role->credential_type);
}

Result<Response> HandleRoleWrite(const StatePtr& state, const EngineRequest& request,
                                 const FieldData& fields) {
  const std::string name = fields.GetString("name");
  std::unique_lock<std::shared_mutex> lock(state->Lock(DatabaseState::RoleKey(name)));
  COFFER_ASSIGN_OR_RETURN(std::optional<RoleEntry> stored,
                          DatabaseState::ReadRole(*request.storage, name));
  if (!stored) {
    COFFER_RETURN_IF_ERROR(CheckNameUnused(*request.storage, DatabaseState::StaticRoleKey(name)));
  }
  RoleEntry role = stored ? std::move(*stored) : RoleEntry();
  COFFER_RETURN_IF_ERROR(ApplyRoleFields(fields, &role));
  COFFER_ASSIGN_OR_RETURN(std::string encoded, core::framework::EncodeJson(role.ToStored()));
  COFFER_RETURN_IF_ERROR(request.storage->Put(DatabaseState::RoleKey(name), encoded));
  return Response::NoContent();
}

Result<Response> HandleRoleRead(const EngineRequest& request, const FieldData& fields) {
  return ReadResponse(DatabaseState::ReadRole(*request.storage, fields.GetString("name")));
}

Result<Response> HandleRoleDelete(const StatePtr& state, const EngineRequest& request,
                                  const FieldData& fields) {
  const std::string name = fields.GetString("name");
  std::unique_lock<std::shared_mutex> lock(state->Lock(DatabaseState::RoleKey(name)));
  Status deleted = request.storage->Delete(DatabaseState::RoleKey(name));
  if (!deleted.ok() && !deleted.IsNotFound()) {
    return deleted;
  }
  return Response::NoContent();
}

}  // namespace

std::vector<PathSpec> PathsRoles(StatePtr state) {
  std::vector<PathSpec> paths;

  paths.push_back(ListPath("roles/?", "role/",
                           "Manage the roles that can be created with this backend.",
                           "Lists the dynamic roles."));

  PathSpec role;
  role.pattern = "roles/" + core::framework::GenericName("name");
  role.fields = {
      {"name", NameField("Name of the role.")},
      {"db_name", {FieldType::kString, json(), false, "Name of the database connection."}},
      {"creation_statements",
       {FieldType::kStringSlice, json(), false, "Statements that create a user."}},
      {"revocation_statements",
       {FieldType::kStringSlice, json(), false,
        "Statements that drop a user (empty: the plugin's default)."}},
      {"rollback_statements",
       {FieldType::kStringSlice, json(), false,
        "Statements run when creating a user fails half way."}},
      {"renew_statements",
       {FieldType::kStringSlice, json(), false, "Statements that extend a user's validity."}},
      {"default_ttl",
       {FieldType::kDuration, json(), false, "Default lease TTL (0: the mount's)."}},
      {"max_ttl", {FieldType::kDuration, json(), false, "Maximum lease TTL (0: the mount's)."}},
      {"credential_type",
       {FieldType::kString, json(), false, "Type of credential issued; only \"password\"."}},
      {"credential_config",
       {FieldType::kMap, json(), false, "Accepted for compatibility; unused for passwords."}},
  };
  role.operations = {
      {Operation::kCreate, WithState(state, HandleRoleWrite)},
      {Operation::kUpdate, WithState(state, HandleRoleWrite)},
      {Operation::kRead, HandleRoleRead},
      {Operation::kDelete, WithState(state, HandleRoleDelete)},
  };
  role.exists = KeyExists(DatabaseState::RoleKey);
  role.help_synopsis = "Manage the roles that can be created with this backend.";
  role.help_description = R"(
A role names a database connection (db_name) and the statements that create
a user for it; reading creds/<role> runs them for a new user under a lease,
whose end runs the revocation statements.
)";
  paths.push_back(std::move(role));
  return paths;
}

}  // namespace coffer::engines::database
