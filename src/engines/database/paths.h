// The paths of the database secrets engine, one file per resource as in
// Vault's builtin/logical/database: path_config.cc (config/<name>, LIST
// config, reset/<name>), path_rotate_root.cc, path_roles.cc (roles/<name>,
// LIST roles), path_creds.cc (creds/<role> and the "creds" secret's renew
// and revoke), path_static_roles.cc (static-roles/<name>, LIST) and
// path_static_creds.cc (static-creds/<name>, rotate-role/<name>). Each
// handler holds the mount's DatabaseState.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/framework/field_data.h"
#include "core/framework/framework_engine.h"
#include "core/framework/path.h"
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

// ListUnder answers a LIST with the names stored under `prefix`.
Result<core::Response> ListUnder(const core::EngineRequest& request, const std::string& prefix);

}  // namespace coffer::engines::database
