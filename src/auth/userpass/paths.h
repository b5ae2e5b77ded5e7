// The userpass method's paths (Vault's builtin/credential/userpass), one
// resource per file: path_users.cc (users and their password and policies),
// path_login.cc (login).
#pragma once

#include "core/framework/key_locks.h"
#include "core/framework/path.h"

namespace coffer::auth::userpass {

// LIST users/.
core::framework::PathSpec UsersListPath();
// users/<username>: create, update, read, delete. `locks` serializes the
// read-modify-write of one user and must outlive the path.
core::framework::PathSpec UsersPath(core::framework::KeyLocks& locks);
// users/<username>/password: replace the password.
core::framework::PathSpec UserPasswordPath(core::framework::KeyLocks& locks);
// users/<username>/policies: replace token_policies.
core::framework::PathSpec UserPoliciesPath(core::framework::KeyLocks& locks);
// login/<username>: served without a token; answers a LoginGrant.
core::framework::PathSpec LoginPath();

}  // namespace coffer::auth::userpass
