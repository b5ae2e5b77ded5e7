// KV version 1 (Vault's "passthrough" backend): every path below the mount
// is a secret, stored as the JSON object that was written, unversioned.
#pragma once

#include <memory>

#include "base/status.h"
#include "core/engine.h"

namespace coffer::engines::kv {

// NewPassthroughBackend builds a KV v1 engine for `config`.
Result<std::unique_ptr<core::Engine>> NewPassthroughBackend(const core::EngineConfig& config);

}  // namespace coffer::engines::kv
