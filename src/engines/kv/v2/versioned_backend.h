// KV version 2 (Vault's versioned K/V): each write to data/<path> adds a
// version; versions can be soft-deleted, undeleted and destroyed; metadata
// and settings live beside them.
#pragma once

#include <memory>

#include "base/status.h"
#include "core/engine.h"

namespace coffer::engines::kv {

// NewVersionedBackend builds a KV v2 engine for `config`.
Result<std::unique_ptr<core::Engine>> NewVersionedBackend(const core::EngineConfig& config);

}  // namespace coffer::engines::kv
