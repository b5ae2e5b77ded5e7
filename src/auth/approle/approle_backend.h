// The AppRole auth method (Vault's builtin/credential/approle): machines
// log in with a role_id and, unless the role says otherwise, a secret-id
// issued against the role. Registered as engine type "approle".
#pragma once

#include <memory>

#include "base/status.h"
#include "core/engine.h"

namespace coffer::auth::approle {

// NewAppRoleBackend builds an AppRole engine for one mount.
Result<std::unique_ptr<core::Engine>> NewAppRoleBackend(const core::EngineConfig& config);

}  // namespace coffer::auth::approle
