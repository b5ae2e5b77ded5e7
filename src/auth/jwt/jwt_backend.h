// The jwt auth method (Vault's vault-plugin-auth-jwt, JWT logins only):
// a config naming where signing keys come from, roles binding which JWTs
// may log in, and a login path that verifies a JWT and hands the core a
// LoginGrant. Registered as "jwt" and as "oidc" (the same engine; the OIDC
// authorization-code flow is not served).
#pragma once

#include <memory>

#include "auth/jwt/key_cache.h"
#include "base/status.h"
#include "core/engine.h"

namespace coffer::auth::jwt {

// NewJwtBackend builds the engine, reporting `type` as its Type() and
// fetching remote keys with `get`. Fails only if a path pattern does not
// compile.
Result<std::unique_ptr<core::Engine>> NewJwtBackend(std::string type, HttpGet get);

}  // namespace coffer::auth::jwt
