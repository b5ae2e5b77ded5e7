// The kubernetes auth method's paths (Vault's vault-plugin-auth-kubernetes),
// one resource per file: path_config.cc (config), path_role.cc (role/<name>,
// LIST role), path_login.cc (login).
#pragma once

#include <memory>
#include <string>

#include "auth/kubernetes/token_review.h"
#include "core/framework/key_locks.h"
#include "core/framework/path.h"

namespace coffer::auth::kubernetes {

// What the login needs from outside the mount's storage.
struct LoginDeps {
  // Asks the API server about a JWT; shared by concurrent logins.
  std::shared_ptr<const TokenReviewer> reviewer;
  // The pod's own service account folder (kLocalServiceAccountDir), read
  // for a CA and reviewer JWT the config does not give unless the config
  // sets disable_local_ca_jwt.
  std::string local_service_account_dir;
};

// config: write (create/update), read.
core::framework::PathSpec ConfigPath();
// LIST role.
core::framework::PathSpec RoleListPath();
// role/<name>: create, update, read, delete. `locks` serializes the
// read-modify-write of one role and must outlive the path.
core::framework::PathSpec RolePath(core::framework::KeyLocks& locks);
// login: served without a token; answers a LoginGrant.
core::framework::PathSpec LoginPath(LoginDeps deps);

}  // namespace coffer::auth::kubernetes
