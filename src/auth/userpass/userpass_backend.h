// The userpass auth method (Vault's builtin/credential/userpass): users with
// a password and token_* settings, and a login path that checks the
// password and hands the core a LoginGrant. Registered as "userpass".
//
// A FrameworkEngine serves the paths; this class wraps it only so the
// login lockout alias is the normalized (lower-cased) username, as Vault
// counts "Bob" and "bob" as one user. Thread-safe.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "base/status.h"
#include "core/engine.h"
#include "core/framework/forwarding_engine.h"
#include "core/framework/key_locks.h"

namespace coffer::auth::userpass {

class UserpassBackend : public core::framework::ForwardingEngine {
 public:
  // Create builds the engine; fails only if a path pattern does not compile.
  static Result<std::unique_ptr<UserpassBackend>> Create();

  std::string LoginAlias(const core::EngineRequest& request) const override;

 private:
  using ForwardingEngine::ForwardingEngine;
};

}  // namespace coffer::auth::userpass
