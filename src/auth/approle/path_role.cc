// role/<role_name> (create, update, read, delete), LIST role, and
// role/<role_name>/role-id (Vault's path_role.go).
#include <algorithm>
#include <cctype>
#include <mutex>
#include <shared_mutex>

#include "base/cidr.h"
#include "auth/approle/paths.h"
#include "base/time_format.h"
#include "core/framework/json_util.h"
#include "core/framework/path_pattern.h"
#include "core/framework/response_util.h"
#include "core/framework/token_fields.h"
#include "crypto/random.h"

namespace coffer::auth::approle {

namespace {

using core::EngineRequest;
using core::Operation;
using core::Response;
using core::framework::FieldData;
using core::framework::FieldSchema;
using core::framework::FieldType;
using core::framework::PathSpec;
using nlohmann::json;

// SaveRole writes `role` and points the role_id index at it, in one
// transaction: InvalidArgument when another role holds the role_id.
// `previous_role_id` is the stored role's role_id ("" for a new role); its
// index entry goes when the role_id changed. The caller holds the role's
// lock exclusively.
Status SaveRole(AppRoleState& state, storage::Backend& storage, const RoleEntry& role,
                const std::string& previous_role_id) {
  std::lock_guard<std::mutex> index_lock(state.RoleIdIndexMutex());
  COFFER_ASSIGN_OR_RETURN(std::string role_id_hmac, state.Hmac(storage, role.role_id));
  COFFER_ASSIGN_OR_RETURN(std::optional<std::string> owner,
                          AppRoleState::ReadRoleIdIndex(storage, role_id_hmac));
  if (owner && *owner != role.name) {
    return Status::InvalidArgument("role_id already in use");
  }
  COFFER_ASSIGN_OR_RETURN(std::string encoded_role,
                          core::framework::EncodeJson(role.ToStored()));
  COFFER_ASSIGN_OR_RETURN(std::string encoded_index,
                          core::framework::EncodeJson(json{{"name", role.name}}));
  std::vector<storage::TxnOp> ops;
  ops.push_back(storage::TxnOp::Put(AppRoleState::RoleKey(role.name), encoded_role));
  ops.push_back(storage::TxnOp::Put(AppRoleState::RoleIdKey(role_id_hmac), encoded_index));
  if (!previous_role_id.empty() && previous_role_id != role.role_id) {
    COFFER_ASSIGN_OR_RETURN(std::string previous_hmac, state.Hmac(storage, previous_role_id));
    ops.push_back(storage::TxnOp::Delete(AppRoleState::RoleIdKey(previous_hmac)));
  }
  return storage.Transaction(ops);
}

Status CheckRoleId(const std::string& role_id) {
  if (role_id.empty()) {
    return Status::InvalidArgument("invalid role_id supplied, or failed to generate a role_id");
  }
  if (role_id.size() > kMaxHmacInputLength) {
    return Status::InvalidArgument("role_id is longer than maximum of " +
                                   std::to_string(kMaxHmacInputLength) + " bytes");
  }
  return Status::Ok();
}

// ApplyRoleFields updates `role` with what the request gave: a new role
// starts from the defaults, an update from the stored role. Nothing is
// written; InvalidArgument names the first bad field.
Status ApplyRoleFields(const FieldData& fields, bool creating, RoleEntry* role) {
  COFFER_RETURN_IF_ERROR(core::framework::ApplyTokenFields(fields, &role->token));
  if (fields.Provided("local_secret_ids")) {
    if (!creating) {
      return Status::InvalidArgument("local_secret_ids can only be modified during role creation");
    }
    role->local_secret_ids = fields.GetBool("local_secret_ids");
  }
  if (fields.Provided("role_id")) {
    role->role_id = fields.GetString("role_id");
  } else if (creating) {
    COFFER_ASSIGN_OR_RETURN(role->role_id, crypto::RandomUuid());
  }
  COFFER_RETURN_IF_ERROR(CheckRoleId(role->role_id));
  if (fields.Provided("bind_secret_id")) {
    role->bind_secret_id = fields.GetBool("bind_secret_id");
  }
  const char* cidr_field = fields.Provided("secret_id_bound_cidrs") ? "secret_id_bound_cidrs"
                           : fields.Provided("bound_cidr_list")     ? "bound_cidr_list"
                                                                    : nullptr;
  if (cidr_field != nullptr) {
    std::vector<std::string> cidrs = fields.GetStrings(cidr_field);
    COFFER_RETURN_IF_ERROR(ValidateCidrs(cidrs, "secret_id_bound_cidrs"));
    role->secret_id_bound_cidrs = std::move(cidrs);
  }
  if (fields.Provided("secret_id_num_uses")) {
    role->secret_id_num_uses = fields.GetInt("secret_id_num_uses");
  }
  if (role->secret_id_num_uses < 0) {
    return Status::InvalidArgument("secret_id_num_uses cannot be negative");
  }
  if (fields.Provided("secret_id_ttl")) {
    role->secret_id_ttl = fields.GetDuration("secret_id_ttl");
  }
  if (!role->HasConstraint()) {
    return Status::InvalidArgument("at least one constraint should be enabled on the role");
  }
  return Status::Ok();
}

Result<Response> HandleRoleWrite(const StatePtr& state, const EngineRequest& request,
                                 const FieldData& fields) {
  const std::string name = RoleName(fields);
  if (name.size() > kMaxHmacInputLength) {
    return Status::InvalidArgument("role_name is longer than maximum of " +
                                   std::to_string(kMaxHmacInputLength) + " bytes");
  }
  std::unique_lock<std::shared_mutex> role_lock(state->RoleLock(name));
  COFFER_ASSIGN_OR_RETURN(std::optional<RoleEntry> stored,
                          AppRoleState::ReadRole(*request.storage, name));
  const bool creating = !stored.has_value();
  RoleEntry role = creating ? RoleEntry() : std::move(*stored);
  const std::string previous_role_id = role.role_id;
  role.name = name;
  COFFER_RETURN_IF_ERROR(ApplyRoleFields(fields, creating, &role));
  COFFER_RETURN_IF_ERROR(SaveRole(*state, *request.storage, role, previous_role_id));
  return Response::NoContent();
}

Result<Response> HandleRoleRead(const StatePtr& state, const EngineRequest& request,
                                const FieldData& fields) {
  const std::string name = RoleName(fields);
  std::shared_lock<std::shared_mutex> role_lock(state->RoleLock(name));
  COFFER_ASSIGN_OR_RETURN(std::optional<RoleEntry> role,
                          AppRoleState::ReadRole(*request.storage, name));
  if (!role) {
    return core::framework::NotFoundNoMessage();
  }
  return Response::Data(role->ToResponseData());
}

// AppendDeletes adds a delete of every key directly under `prefix`.
Status AppendDeletes(storage::Backend& storage, const std::string& prefix,
                     std::vector<storage::TxnOp>* ops) {
  COFFER_ASSIGN_OR_RETURN(std::vector<std::string> keys, storage.List(prefix));
  for (const std::string& key : keys) {
    if (!key.empty() && key.back() != '/') {
      ops->push_back(storage::TxnOp::Delete(prefix + key));
    }
  }
  return Status::Ok();
}

// HandleRoleDelete removes the role, its role_id index and every secret-id
// issued against it, in one transaction. The exclusive role lock keeps
// logins and secret-id operations on the role out meanwhile.
Result<Response> HandleRoleDelete(const StatePtr& state, const EngineRequest& request,
                                  const FieldData& fields) {
  const std::string name = RoleName(fields);
  std::unique_lock<std::shared_mutex> role_lock(state->RoleLock(name));
  storage::Backend& storage = *request.storage;
  COFFER_ASSIGN_OR_RETURN(std::optional<RoleEntry> role, AppRoleState::ReadRole(storage, name));
  if (!role) {
    return Response::NoContent();
  }
  std::vector<storage::TxnOp> ops;
  COFFER_RETURN_IF_ERROR(AppendDeletes(storage, AppRoleState::SecretIdPrefix(name), &ops));
  COFFER_RETURN_IF_ERROR(AppendDeletes(storage, AppRoleState::AccessorPrefix(name), &ops));
  std::lock_guard<std::mutex> index_lock(state->RoleIdIndexMutex());
  COFFER_ASSIGN_OR_RETURN(std::string role_id_hmac, state->Hmac(storage, role->role_id));
  COFFER_ASSIGN_OR_RETURN(std::optional<std::string> owner,
                          AppRoleState::ReadRoleIdIndex(storage, role_id_hmac));
  if (owner && *owner == name) {
    ops.push_back(storage::TxnOp::Delete(AppRoleState::RoleIdKey(role_id_hmac)));
  }
  ops.push_back(storage::TxnOp::Delete(AppRoleState::RoleKey(name)));
  COFFER_RETURN_IF_ERROR(storage.Transaction(ops));
  return Response::NoContent();
}

Result<Response> HandleRoleList(const EngineRequest& request, const FieldData&) {
  COFFER_ASSIGN_OR_RETURN(std::vector<std::string> keys, request.storage->List("role/"));
  keys.erase(std::remove_if(keys.begin(), keys.end(),
                            [](const std::string& k) { return k.empty() || k.back() == '/'; }),
             keys.end());
  return core::framework::ListResponse(std::move(keys));
}

Result<bool> RoleExists(const EngineRequest& request, const FieldData& fields) {
  return core::framework::StoredKeyExists(*request.storage,
                                         AppRoleState::RoleKey(RoleName(fields)));
}

Result<Response> HandleRoleIdRead(const StatePtr& state, const EngineRequest& request,
                                  const FieldData& fields) {
  const std::string name = RoleName(fields);
  std::shared_lock<std::shared_mutex> role_lock(state->RoleLock(name));
  COFFER_ASSIGN_OR_RETURN(std::optional<RoleEntry> role,
                          AppRoleState::ReadRole(*request.storage, name));
  if (!role) {
    return core::framework::NotFoundNoMessage();
  }
  return Response::Data({{"role_id", role->role_id}});
}

Result<Response> HandleRoleIdUpdate(const StatePtr& state, const EngineRequest& request,
                                    const FieldData& fields) {
  const std::string name = RoleName(fields);
  const std::string role_id = fields.GetString("role_id");
  if (role_id.empty()) {
    return Status::InvalidArgument("missing role_id");
  }
  COFFER_RETURN_IF_ERROR(CheckRoleId(role_id));
  std::unique_lock<std::shared_mutex> role_lock(state->RoleLock(name));
  COFFER_ASSIGN_OR_RETURN(std::optional<RoleEntry> role,
                          AppRoleState::ReadRole(*request.storage, name));
  if (!role) {
    return RoleNotFound(name);
  }
  const std::string previous_role_id = role->role_id;
  role->role_id = role_id;
  COFFER_RETURN_IF_ERROR(SaveRole(*state, *request.storage, *role, previous_role_id));
  return Response::NoContent();
}

void AddRoleFields(core::framework::Fields& fields) {
  core::framework::AddTokenFields(fields);
  fields["role_name"] = RoleNameField();
  fields["bind_secret_id"] = {FieldType::kBool, true, false,
                              "Require a secret_id to log in with this role."};
  fields["secret_id_bound_cidrs"] = {FieldType::kCommaStringSlice, json(), false,
                                     "CIDR blocks that may log in with this role."};
  fields["bound_cidr_list"] = {FieldType::kCommaStringSlice, json(), false,
                               "Deprecated: secret_id_bound_cidrs."};
  fields["secret_id_num_uses"] = {FieldType::kInt, json(), false,
                                  "Logins each secret-id allows by default (0: unlimited)."};
  fields["secret_id_ttl"] = {FieldType::kDuration, json(), false,
                             "Lifetime of secret-ids by default (0: no expiry)."};
  fields["local_secret_ids"] = {FieldType::kBool, json(), false,
                                "Cluster-local secret-ids; only at creation."};
  fields["role_id"] = {FieldType::kString, json(), false,
                       "The role's RoleID; generated when not given."};
}

}  // namespace

std::vector<PathSpec> PathsRole(StatePtr state) {
  std::vector<PathSpec> paths;

  PathSpec list;
  list.pattern = "role/?";
  list.operations = {{Operation::kList, HandleRoleList}};
  list.help_synopsis = "Lists all the roles registered with the backend.";
  list.help_description = "The list will contain the names of the roles.";
  paths.push_back(std::move(list));

  PathSpec role;
  role.pattern = "role/" + core::framework::GenericName("role_name");
  AddRoleFields(role.fields);
  auto write = [state](const EngineRequest& r, const FieldData& f) {
    return HandleRoleWrite(state, r, f);
  };
  role.operations = {
      {Operation::kCreate, write},
      {Operation::kUpdate, write},
      {Operation::kRead,
       [state](const EngineRequest& r, const FieldData& f) { return HandleRoleRead(state, r, f); }},
      {Operation::kDelete,
       [state](const EngineRequest& r, const FieldData& f) {
         return HandleRoleDelete(state, r, f);
       }},
  };
  role.exists = RoleExists;
  role.help_synopsis = "Register an role with the backend.";
  role.help_description = R"(
A role can represent a service, a machine or anything that can be IDed. Its
token_* fields set the tokens issued at login; secret-ids issued against it
with 'role/<role_name>/secret-id' and 'role/<role_name>/custom-secret-id' are
bound by its secret_id_* fields.
)";
  paths.push_back(std::move(role));

  PathSpec role_id;
  role_id.pattern = "role/" + core::framework::GenericName("role_name") + "/role-id";
  role_id.fields = {{"role_name", RoleNameField()},
                    {"role_id", {FieldType::kString, json(), false, "The RoleID to set."}}};
  role_id.operations = {
      {Operation::kRead,
       [state](const EngineRequest& r, const FieldData& f) {
         return HandleRoleIdRead(state, r, f);
       }},
      {Operation::kUpdate,
       [state](const EngineRequest& r, const FieldData& f) {
         return HandleRoleIdUpdate(state, r, f);
       }},
  };
  role_id.help_synopsis = "Returns the 'role_id' of the role.";
  role_id.help_description = R"(
The role_id is the credential that names the role at login. Reading returns
it; writing sets a custom one, which must be unique across the mount's roles.
)";
  paths.push_back(std::move(role_id));
  return paths;
}

FieldSchema RoleNameField() {
  return {FieldType::kString, nlohmann::json(), true, "Name of the role (case-insensitive)."};
}

std::string RoleName(const FieldData& fields) {
  std::string name = fields.GetString("role_name");
  std::transform(name.begin(), name.end(), name.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return name;
}

Status RoleNotFound(const std::string& name) {
  return Status::NotFound("role \"" + name + "\" does not exist");
}

int64_t NowNanos(const EngineRequest& request) { return UnixNanos(request.clock->Now()); }

}  // namespace coffer::auth::approle
