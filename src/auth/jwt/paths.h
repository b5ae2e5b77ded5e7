// The jwt auth method's paths (Vault's vault-plugin-auth-jwt), one
// resource per file: path_config.cc (config), path_role.cc (role/<name>,
// LIST role), path_login.cc (login). Each handler holds the mount's
// JwtState.
#pragma once

#include <memory>
#include <vector>

#include "auth/jwt/key_cache.h"
#include "core/framework/key_locks.h"
#include "core/framework/path.h"

namespace coffer::auth::jwt {

// What a mount's handlers share. Thread-safe.
struct JwtState {
  explicit JwtState(HttpGet get) : keys(std::move(get)) {}
  // Serializes read-modify-write of one role, and config writes.
  core::framework::KeyLocks locks;
  KeyCache keys;
};
using StatePtr = std::shared_ptr<JwtState>;

core::framework::PathSpec ConfigPath(StatePtr state);
std::vector<core::framework::PathSpec> RolePaths(StatePtr state);
core::framework::PathSpec LoginPath(StatePtr state);

}  // namespace coffer::auth::jwt
