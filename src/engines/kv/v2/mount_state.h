// MountState: what one KV v2 mount keeps in memory beside its storage,
// shared by the handlers of all its paths (one per engine instance).
#pragma once

#include <cstddef>
#include <memory>

#include "core/framework/key_locks.h"
#include "engines/kv/v2/key_metadata.h"
#include "engines/kv/v2/kv_config.h"

namespace coffer::engines::kv {

// Metadata of a key with the default 10 versions is about 1 KiB stored, so
// the byte budget rather than the entry count binds only for keys with
// long histories or much custom_metadata.
inline constexpr size_t kMetadataCacheEntries = 4096;
inline constexpr size_t kMetadataCacheBytes = size_t{8} << 20;
inline constexpr size_t kConfigCacheBytes = 4096;

struct MountState {
  // Per-key locks: read-modify-write handlers on one key serialize.
  core::framework::KeyLocks locks;
  // Decoded key metadata and config; see decoded_cache.h for why a hit is
  // always what storage holds now.
  MetadataCache metadata{kMetadataCacheEntries, kMetadataCacheBytes};
  ConfigCache config{1, kConfigCacheBytes};
};

using MountPtr = std::shared_ptr<MountState>;

}  // namespace coffer::engines::kv
