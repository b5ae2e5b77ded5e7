// The KV v2 mount configuration (Vault's Configuration): defaults every key
// inherits unless its own metadata overrides them. Stored at "config".
#pragma once

#include <cstdint>

#include "base/status.h"
#include "core/framework/decoded_cache.h"
#include "storage/backend.h"

namespace coffer::engines::kv {

// Vault keeps 10 versions of a key when neither the key nor the mount says.
inline constexpr uint32_t kDefaultMaxVersions = 10;

struct KvConfig {
  // 0: not set (kDefaultMaxVersions applies).
  uint32_t max_versions = 0;
  bool cas_required = false;
  // Seconds; 0 = not set; negative = disabled on every key (Vault stores
  // exactly -1s for that).
  int64_t delete_version_after = 0;

  bool DeleteVersionAfterDisabled() const { return delete_version_after < 0; }
};

inline constexpr char kConfigStorageKey[] = "config";

// ConfigCache holds the mount's decoded configuration (one entry; see
// core/framework/decoded_cache.h). The configuration is not secret.
using ConfigCache = core::framework::DecodedCache<KvConfig>;

// LoadConfig reads the mount's configuration from storage; defaults when
// none was written, Corruption when it does not decode. The storage read
// always happens; `cache` only spares decoding bytes decoded before.
Result<KvConfig> LoadConfig(ConfigCache& cache, storage::Backend& storage);

// SaveConfig writes it.
Status SaveConfig(storage::Backend& storage, const KvConfig& config);

}  // namespace coffer::engines::kv
