// The database secrets engine (Vault's builtin/logical/database): dynamic
// database users under leases (roles/, creds/), static users whose
// passwords it rotates (static-roles/, static-creds/, rotate-role/), and
// the connections they use (config/, reset/, rotate-root/). Registered as
// engine type "database"; one instance, with its own connection pools, per
// mount.
#pragma once

#include <memory>

#include "base/status.h"
#include "core/engine.h"
#include "engines/database/database_state.h"

namespace coffer::engines::database {

// NewDatabaseBackend builds the engine for one mount. `opener` makes the
// plugin of each connection: OpenPlugin in production; unit tests pass an
// in-memory fake.
Result<std::unique_ptr<core::Engine>> NewDatabaseBackend(const core::EngineConfig& config,
                                                         PluginOpener opener);

}  // namespace coffer::engines::database
