// The seal lifecycle endpoints that answer with or without a token, sealed
// or not: sys/init, sys/seal-status, sys/unseal, sys/health, sys/leader.
// Bodies and status codes follow Vault's API (raw JSON, not the envelope).
#pragma once

#include <optional>

#include "core/request.h"

namespace coffer::core {

class Core;

// HandleSealApi answers `request` when its path is one of the endpoints
// above, and returns nullopt for every other path.
std::optional<Result<Response>> HandleSealApi(Core& core, const Request& request);

}  // namespace coffer::core
