// The cert auth method's paths (Vault's builtin/credential/cert), one
// resource per file: path_certs.cc (certs/<name>, LIST certs),
// path_config.cc (config), path_login.cc (login).
#pragma once

#include "core/framework/key_locks.h"
#include "core/framework/path.h"

namespace coffer::auth::cert {

// LIST certs.
core::framework::PathSpec CertsListPath();
// certs/<name>: create, update, read, delete. `locks` serializes the
// read-modify-write of one role and must outlive the path.
core::framework::PathSpec CertsPath(core::framework::KeyLocks& locks);
// config: write, read.
core::framework::PathSpec ConfigPath();
// login: served without a token; verifies the TLS client certificate and
// answers a LoginGrant.
core::framework::PathSpec LoginPath();

}  // namespace coffer::auth::cert
