// role/<role_name>/secret-id/{lookup,destroy} (by the secret-id) and
// role/<role_name>/secret-id-accessor/{lookup,destroy} (by its accessor).
// Lookups never show the secret-id.
#include <mutex>
#include <shared_mutex>

#include "auth/approle/paths.h"
#include "core/framework/path_pattern.h"
#include "core/framework/response_util.h"

namespace coffer::auth::approle {

namespace {

using core::EngineRequest;
using core::Operation;
using core::Response;
using core::framework::FieldData;
using core::framework::FieldType;
using core::framework::PathSpec;
using nlohmann::json;

enum class Action { kLookup, kDestroy };

// LockedRole holds a role's lock (shared) while a handler works on its
// secret-ids.
struct LockedRole {
  std::shared_lock<std::shared_mutex> lock;
  RoleEntry role;
};

Result<LockedRole> LockRole(AppRoleState& state, const EngineRequest& request,
                            const std::string& name) {
  std::shared_lock<std::shared_mutex> lock(state.RoleLock(name));
  COFFER_ASSIGN_OR_RETURN(std::optional<RoleEntry> role,
                          AppRoleState::ReadRole(*request.storage, name));
  if (!role) {
    return RoleNotFound(name);
  }
  return LockedRole{std::move(lock), std::move(*role)};
}

// Act looks up or destroys the secret-id with `secret_id_hmac` of role
// `name`; a missing one answers 204 as in Vault. The caller holds the
// role's lock.
Result<Response> Act(AppRoleState& state, storage::Backend& storage, const std::string& name,
                     const std::string& secret_id_hmac, Action action) {
  std::unique_lock<std::shared_mutex> secret_lock(state.SecretIdLock(secret_id_hmac));
  COFFER_ASSIGN_OR_RETURN(std::optional<SecretIdEntry> entry,
                          AppRoleState::ReadSecretId(storage, name, secret_id_hmac));
  if (!entry) {
    return Response::NoContent();
  }
  if (action == Action::kDestroy) {
    COFFER_RETURN_IF_ERROR(
        AppRoleState::DeleteSecretId(storage, name, secret_id_hmac, entry->accessor));
    return Response::NoContent();
  }
  return Response::Data(entry->ToResponseData());
}

Result<Response> HandleBySecretId(AppRoleState& state, const EngineRequest& request,
                                  const FieldData& fields, Action action) {
  const std::string name = RoleName(fields);
  const std::string secret_id = fields.GetString("secret_id");
  if (secret_id.empty()) {
    return Status::InvalidArgument("missing secret_id");
  }
  if (secret_id.size() > kMaxHmacInputLength) {
    return Status::InvalidArgument("secret_id is longer than maximum of " +
                                   std::to_string(kMaxHmacInputLength) + " bytes");
  }
  COFFER_ASSIGN_OR_RETURN(LockedRole locked, LockRole(state, request, name));
  COFFER_ASSIGN_OR_RETURN(std::string secret_id_hmac, state.Hmac(*request.storage, secret_id));
  return Act(state, *request.storage, name, secret_id_hmac, action);
}

Result<Response> HandleByAccessor(AppRoleState& state, const EngineRequest& request,
                                  const FieldData& fields, Action action) {
  const std::string name = RoleName(fields);
  const std::string accessor = fields.GetString("secret_id_accessor");
  if (accessor.empty()) {
    return Status::InvalidArgument("missing secret_id_accessor");
  }
  COFFER_ASSIGN_OR_RETURN(LockedRole locked, LockRole(state, request, name));
  storage::Backend& storage = *request.storage;
  const Status not_found = Status::NotFound(
      "failed to find accessor entry for secret_id_accessor: \"" + accessor + "\"");
  // An accessor is one path element (a UUID); anything else names nothing.
  if (accessor.find('/') != std::string::npos) {
    return not_found;
  }
  COFFER_ASSIGN_OR_RETURN(std::optional<std::string> secret_id_hmac,
                          AppRoleState::ReadAccessor(storage, name, accessor));
  if (!secret_id_hmac) {
    return not_found;
  }
  if (action == Action::kDestroy) {
    // An accessor left without its secret-id goes too.
    std::unique_lock<std::shared_mutex> secret_lock(state.SecretIdLock(*secret_id_hmac));
    COFFER_RETURN_IF_ERROR(AppRoleState::DeleteSecretId(storage, name, *secret_id_hmac, accessor));
    return Response::NoContent();
  }
  return Act(state, storage, name, *secret_id_hmac, action);
}

PathSpec MakePath(const StatePtr& state, const std::string& pattern, bool by_accessor,
                  Action action) {
  PathSpec spec;
  spec.pattern = pattern;
  spec.fields = {{"role_name", RoleNameField()}};
  if (by_accessor) {
    spec.fields["secret_id_accessor"] = {FieldType::kString, json(), false,
                                         "Accessor of the secret-id."};
  } else {
    spec.fields["secret_id"] = {FieldType::kString, json(), false, "The secret-id."};
  }
  core::framework::Handler handler = [state, by_accessor, action](const EngineRequest& r,
                                                                  const FieldData& f) {
    return by_accessor ? HandleByAccessor(*state, r, f, action)
                       : HandleBySecretId(*state, r, f, action);
  };
  spec.operations = {{Operation::kUpdate, handler}};
  if (action == Action::kDestroy) {
    spec.operations[Operation::kDelete] = handler;
  }
  const std::string what =
      by_accessor ? "an issued secret_id, using its accessor" : "an issued secret_id";
  if (action == Action::kLookup) {
    spec.help_synopsis = "Read the properties of " + what;
    spec.help_description = "Returns the properties of a secret-id (never the secret-id itself).";
  } else {
    spec.help_synopsis = "Invalidate " + what;
    spec.help_description = "Deletes a secret-id, so it can no longer log in.";
  }
  return spec;
}

}  // namespace

std::vector<PathSpec> PathsSecretIdLookup(StatePtr state) {
  const std::string role = "role/" + core::framework::GenericName("role_name");
  std::vector<PathSpec> paths;
  paths.push_back(MakePath(state, role + "/secret-id/lookup/?", false, Action::kLookup));
  paths.push_back(MakePath(state, role + "/secret-id/destroy/?", false, Action::kDestroy));
  paths.push_back(
      MakePath(state, role + "/secret-id-accessor/lookup/?", true, Action::kLookup));
  paths.push_back(
      MakePath(state, role + "/secret-id-accessor/destroy/?", true, Action::kDestroy));
  return paths;
}

}  // namespace coffer::auth::approle
