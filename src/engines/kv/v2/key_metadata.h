// KeyMetadata: everything KV v2 knows about one secret path besides the
// version data itself (Vault's KeyMetadata): its versions' times and
// states, the version counters and the per-key settings. Stored as JSON at
// "metadata/<path>", so a storage List of "metadata/<folder>/" lists the
// secrets of a folder.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/status.h"
#include "core/framework/decoded_cache.h"
#include "engines/kv/v2/kv_config.h"
#include "storage/backend.h"

namespace coffer::engines::kv {

inline constexpr char kMetadataPrefix[] = "metadata/";

struct VersionMetadata {
  int64_t created_ns = 0;
  // When the version counts as deleted (a soft delete, or the time
  // delete_version_after sets); a future time means "not yet".
  std::optional<int64_t> deletion_ns;
  bool destroyed = false;

  // DeletedAt: deleted once the deletion time has come. (Vault tests
  // "before now"; at-or-before makes a delete effective at once even when
  // the clock has not ticked since, as with a test clock.)
  bool DeletedAt(int64_t now_ns) const { return deletion_ns && *deletion_ns <= now_ns; }
  bool ReadableAt(int64_t now_ns) const { return !destroyed && !DeletedAt(now_ns); }

  bool operator==(const VersionMetadata&) const = default;
};

struct KeyMetadata {
  std::string key;
  std::map<uint64_t, VersionMetadata> versions;
  uint64_t current_version = 0;
  uint64_t oldest_version = 0;
  uint32_t max_versions = 0;  // 0: the mount's setting applies
  bool cas_required = false;
  int64_t delete_version_after = 0;  // seconds, 0: the mount's setting applies
  std::map<std::string, std::string> custom_metadata;
  std::optional<int64_t> created_ns;
  std::optional<int64_t> updated_ns;

  // AddVersion records a new current version and slides the window of kept
  // versions (Vault's AddVersion, including its oldest_version arithmetic).
  // It returns the version numbers that fell out of the window: their data
  // must be deleted with the same transaction.
  std::vector<uint64_t> AddVersion(int64_t created_ns, std::optional<int64_t> deletion_ns,
                                   uint32_t config_max_versions);

  bool operator==(const KeyMetadata&) const = default;
};

// MetadataCache holds a mount's decoded key metadata by storage key (see
// core/framework/decoded_cache.h). Key metadata is what metadata/<path> shows, not a
// secret, so it may be kept decoded in memory.
using MetadataCache = core::framework::DecodedCache<KeyMetadata>;

std::string MetadataStorageKey(std::string_view key);

// LoadKeyMetadata reads a path's metadata from storage; nullptr when it has
// none, Corruption when the stored value does not decode. The storage read
// always happens, so the result is what storage holds now; `cache` only
// spares decoding bytes it has decoded before.
Result<std::shared_ptr<const KeyMetadata>> LoadKeyMetadata(MetadataCache& cache,
                                                           storage::Backend& storage,
                                                           std::string_view key);

// LoadKeyMetadataCopy is LoadKeyMetadata for handlers that change the
// metadata and store it back: a copy of their own; nullopt when absent.
Result<std::optional<KeyMetadata>> LoadKeyMetadataCopy(MetadataCache& cache,
                                                       storage::Backend& storage,
                                                       std::string_view key);

// EncodeKeyMetadata is the stored form of `meta` (its path aside: the
// storage key names it): compact JSON with members in sorted order, written
// directly rather than through a JSON DOM. InvalidArgument if a
// custom_metadata string is not valid UTF-8.
Result<std::string> EncodeKeyMetadata(const KeyMetadata& meta);

// DecodeKeyMetadata reads what EncodeKeyMetadata wrote for the path `key`;
// Corruption when `bytes` do not hold key metadata. For every `meta` it
// can encode, decoding the encoding gives `meta` back: the metadata cache
// relies on that (StoreKeyMetadata).
Result<KeyMetadata> DecodeKeyMetadata(std::string_view bytes, std::string_view key);

// StoreKeyMetadata runs `ops` plus the put of `meta` as one transaction and
// returns the stored metadata. Once the transaction has committed, `cache`
// holds `meta` for the bytes just written (write-through), so the next
// load of the key, say the next write's existence check, skips decoding;
// that entry is coherent because decoding those bytes gives `meta` back.
// A failed transaction leaves the cache as it was. The caller holds the
// key's lock, as for any read-modify-write of metadata.
Result<std::shared_ptr<const KeyMetadata>> StoreKeyMetadata(MetadataCache& cache,
                                                            storage::Backend& storage,
                                                            std::vector<storage::TxnOp> ops,
                                                            KeyMetadata meta);

// DeletionTimeFor is when a version created (or undeleted) at `from_ns`
// gets deleted: `from_ns` plus the smaller non-zero delete_version_after of
// the mount and the key; nullopt when neither sets one or the mount
// disables it.
std::optional<int64_t> DeletionTimeFor(int64_t from_ns, const KvConfig& config,
                                       const KeyMetadata& meta);

// FormatTime renders a stored time as Vault does ("" when unset).
std::string FormatTime(const std::optional<int64_t>& unix_nanos);

// CustomMetadataJson is the custom_metadata value of responses: null when
// empty, as Vault's nil map.
nlohmann::json CustomMetadataJson(const KeyMetadata& meta);

// VersionResponseJson is the block Vault returns for one version (the
// "metadata" of a data read, the whole "data" of a write): version,
// created_time, deletion_time, destroyed, custom_metadata.
nlohmann::json VersionResponseJson(uint64_t version, const VersionMetadata& vm,
                                   const KeyMetadata& meta);

}  // namespace coffer::engines::kv
