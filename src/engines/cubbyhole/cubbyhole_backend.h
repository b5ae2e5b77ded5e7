// cubbyhole: a private KV v1 per token. Every key is stored under
// "<client_id>/" (EngineRequest.client_id, the Core's opaque stable id of
// the calling token), so no token can name another token's data. When a
// token is revoked the Core should delete everything under
// CubbyholeStoragePrefix(client_id).
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "base/status.h"
#include "core/engine.h"

namespace coffer::engines::cubbyhole {

// CubbyholeStoragePrefix is where one token's cubbyhole lives in the
// mount's storage view.
std::string CubbyholeStoragePrefix(std::string_view client_id);

Result<std::unique_ptr<core::Engine>> NewCubbyholeBackend(const core::EngineConfig& config);

}  // namespace coffer::engines::cubbyhole
