// The paths of the database secrets engine, one file per resource as in
// Vault's builtin/logical/database: path_config.cc (config/<name>, LIST
// config, reset/<name>), path_rotate_root.cc, path_roles.cc (roles/<name>,
// LIST roles), path_creds.cc (creds/<role> and the "creds" secret's renew
// and revoke), path_static_roles.cc (static-roles/<name>, LIST) and
// path_static_creds.cc (static-creds/<name>, rotate-role/<name>). Each
// handler holds the mount's DatabaseState.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/framework/field_data.h"
#include "core/framework/framework_engine.h"
#include "core/framework/path.h"
#include "core/framework/response_util.h"
#include "engines/database/database_state.h"

namespace coffer::engines::database {

using StatePtr = std::shared_ptr<DatabaseState>;

std::vector<core::framework::PathSpec> PathsConfig(StatePtr state);
core::framework::PathSpec PathRotateRoot(StatePtr state);
std::vector<core::framework::PathSpec> PathsRoles(StatePtr state);
core::framework::PathSpec PathCreds(StatePtr state);
core::framework::SecretSpec SecretCreds(StatePtr state);
std::vector<core::framework::PathSpec> PathsStaticRoles(StatePtr state);
std::vector<core::framework::PathSpec> PathsStaticCreds(StatePtr state);

// Shared by the handlers.

// NameField is the schema of a path's "name" capture.
core::framework::FieldSchema NameField(const std::string& description);

// CheckRoleAllowed refuses a role the connection does not list in
// allowed_roles, with Vault's message.
Status CheckRoleAllowed(const DbConfig& config, const std::string& role_name);

// CheckCredentialType accepts only "password", the one type we issue.
Status CheckCredentialType(const core::framework::FieldData& fields, std::string* credential_type);

// WithState makes a path handler of `handler`, a function taking the
// mount's state first.
template <typename StateHandler>
core::framework::Handler WithState(StatePtr state, StateHandler handler) {
  return [state = std::move(state), handler](const core::EngineRequest& request,
                                             const core::framework::FieldData& fields) {
    return handler(state, request, fields);
  };
}

// ListPath is the path `pattern` ("roles/?") that LISTs the names stored
// under `prefix` ("role/").
core::framework::PathSpec ListPath(std::string pattern, std::string prefix,
                                   std::string help_synopsis, std::string help_description);

// KeyExists is the existence check of a path whose "name" is stored at
// key_of(name).
core::framework::ExistenceCheck KeyExists(std::string (*key_of)(const std::string&));

// ReadResponse answers a read of a stored entry: its ToResponse(), or 404
// when there is none.
template <typename Entry>
Result<core::Response> ReadResponse(Result<std::optional<Entry>> read) {
  COFFER_ASSIGN_OR_RETURN(std::optional<Entry> entry, std::move(read));
  if (!entry) {
    return core::framework::NotFoundNoMessage();
  }
  return core::Response::Data(entry->ToResponse());
}

// CheckNameUnused refuses a role name that the other kind of role, stored
// at `other_key`, already has (Vault's message).
Status CheckNameUnused(storage::Backend& storage, const std::string& other_key);

}  // namespace coffer::engines::database
