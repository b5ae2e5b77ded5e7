// The paths of the AppRole auth method, one file per resource as in
// Vault's plugin: path_role.cc (role/<name>, LIST role, role-id),
// path_secret_id.cc (secret-id and custom-secret-id generation, LIST),
// path_secret_id_lookup.cc (lookup and destroy by secret-id or accessor),
// path_login.cc and path_tidy.cc. Each handler holds the mount's
// AppRoleState.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "auth/approle/approle_state.h"
#include "core/engine.h"
#include "core/framework/field_data.h"
#include "core/framework/path.h"

namespace coffer::auth::approle {

using StatePtr = std::shared_ptr<AppRoleState>;

std::vector<core::framework::PathSpec> PathsRole(StatePtr state);
std::vector<core::framework::PathSpec> PathsSecretId(StatePtr state);
std::vector<core::framework::PathSpec> PathsSecretIdLookup(StatePtr state);
core::framework::PathSpec PathLogin(StatePtr state);
core::framework::PathSpec PathTidy(StatePtr state);

// Shared by the handlers.

// RoleNameField is the role_name capture's schema.
core::framework::FieldSchema RoleNameField();
// RoleName returns the request's role name, lower-cased as Vault does.
std::string RoleName(const core::framework::FieldData& fields);
// RoleNotFound is the answer for a secret-id operation on a missing role.
Status RoleNotFound(const std::string& name);
// NowNanos is the request clock's time in Unix nanoseconds.
int64_t NowNanos(const core::EngineRequest& request);

}  // namespace coffer::auth::approle
