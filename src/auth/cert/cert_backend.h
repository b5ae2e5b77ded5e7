// The cert auth method (Vault's builtin/credential/cert): trusted
// certificate roles (a CA or an exact client certificate, name constraints
// and token_* settings) and a login that verifies the TLS client
// certificate the listener passed on. Registered as "cert".
//
// A FrameworkEngine serves the paths; this class owns the role locks they
// refer to and lower-cases the lockout alias (the role name), as role
// names are. Thread-safe.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "base/status.h"
#include "core/engine.h"
#include "core/framework/forwarding_engine.h"
#include "core/framework/key_locks.h"

namespace coffer::auth::cert {

class CertBackend : public core::framework::ForwardingEngine {
 public:
  // Create builds the engine; fails only if a path pattern does not compile.
  static Result<std::unique_ptr<CertBackend>> Create();

  std::string LoginAlias(const core::EngineRequest& request) const override;

 private:
  using ForwardingEngine::ForwardingEngine;
};

}  // namespace coffer::auth::cert
