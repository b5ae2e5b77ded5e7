#include "engines/kv/v2/key_metadata.h"

#include <algorithm>
#include <limits>
#include <utility>

#include "core/framework/time_format.h"

namespace coffer::engines::kv {

namespace {

using nlohmann::json;

constexpr int64_t kNanosPerSecond = 1'000'000'000;

}  // namespace

std::vector<uint64_t> KeyMetadata::AddVersion(int64_t created, std::optional<int64_t> deletion,
                                              uint32_t config_max_versions) {
  ++current_version;
  versions[current_version] = VersionMetadata{created, deletion, false};
  updated_ns = created;
  if (!created_ns) {
    created_ns = created;
  }

  // The key's own setting wins over the mount's, which wins over the default.
  uint32_t keep = max_versions > 0          ? max_versions
                  : config_max_versions > 0 ? config_max_versions
                                            : kDefaultMaxVersions;
  std::vector<uint64_t> dropped;
  if (current_version - oldest_version < keep) {
    return dropped;
  }
  // Several versions go at once when max_versions was lowered.
  uint64_t last_dropped = current_version - keep;
  for (uint64_t v = oldest_version; v <= last_dropped; ++v) {
    versions.erase(v);
    if (v > 0) {  // version 0 never exists; Vault's window starts there
      dropped.push_back(v);
    }
  }
  oldest_version = last_dropped + 1;
  return dropped;
}

std::string MetadataStorageKey(std::string_view key) { return kMetadataPrefix + std::string(key); }

Result<std::shared_ptr<const KeyMetadata>> LoadKeyMetadata(MetadataCache& cache,
                                                           storage::Backend& storage,
                                                           std::string_view key) {
  std::string storage_key = MetadataStorageKey(key);
  // The stored (sealed) form first: when it is the one last opened, the
  // decoded metadata is current and nothing needs decrypting.
  Result<std::string> stored = storage.GetStored(storage_key);
  if (stored.status().IsNotFound()) {
    return std::shared_ptr<const KeyMetadata>();
  }
  if (!stored.ok()) {
    return stored.status();
  }
  if (std::shared_ptr<const KeyMetadata> cached = cache.FindStored(storage_key, *stored)) {
    return cached;
  }
  COFFER_ASSIGN_OR_RETURN(std::string bytes, storage.Open(storage_key, *stored));
  if (std::shared_ptr<const KeyMetadata> cached = cache.Find(storage_key, bytes)) {
    cache.NoteStored(storage_key, bytes, std::move(stored).value());
    return cached;
  }
  COFFER_ASSIGN_OR_RETURN(KeyMetadata meta, DecodeKeyMetadata(bytes, key));
  auto decoded = std::make_shared<const KeyMetadata>(std::move(meta));
  cache.Insert(storage_key, std::move(bytes), decoded, std::move(stored).value());
  return decoded;
}

Result<std::optional<KeyMetadata>> LoadKeyMetadataCopy(MetadataCache& cache,
                                                       storage::Backend& storage,
                                                       std::string_view key) {
  COFFER_ASSIGN_OR_RETURN(std::shared_ptr<const KeyMetadata> meta,
                          LoadKeyMetadata(cache, storage, key));
  if (!meta) {
    return std::optional<KeyMetadata>();
  }
  return std::optional<KeyMetadata>(*meta);
}

Result<std::shared_ptr<const KeyMetadata>> StoreKeyMetadata(MetadataCache& cache,
                                                            storage::Backend& storage,
                                                            std::vector<storage::TxnOp> ops,
                                                            KeyMetadata meta) {
  COFFER_ASSIGN_OR_RETURN(std::string bytes, EncodeKeyMetadata(meta));
  std::string storage_key = MetadataStorageKey(meta.key);
  ops.push_back(storage::TxnOp::Put(storage_key, std::move(bytes)));
  COFFER_RETURN_IF_ERROR(storage.Transaction(ops));
  auto stored = std::make_shared<const KeyMetadata>(std::move(meta));
  // Only now: a failed transaction must leave no entry. The op's bytes are
  // exactly what storage holds, and Transaction took its own copy of them.
  cache.Insert(storage_key, std::move(ops.back().value), stored);
  return stored;
}

std::optional<int64_t> DeletionTimeFor(int64_t from_ns, const KvConfig& config,
                                       const KeyMetadata& meta) {
  if (config.DeleteVersionAfterDisabled()) {
    return std::nullopt;
  }
  int64_t mount = config.delete_version_after;
  int64_t key = meta.delete_version_after;
  if (mount == 0 && key == 0) {
    return std::nullopt;
  }
  int64_t after = key != 0 ? key : mount;
  if (mount != 0 && mount < after) {
    after = mount;
  }
  // Saturate rather than overflow for absurd durations.
  if (after > (std::numeric_limits<int64_t>::max() - std::max<int64_t>(from_ns, 0)) /
                  kNanosPerSecond) {
    return std::numeric_limits<int64_t>::max();
  }
  return from_ns + after * kNanosPerSecond;
}

std::string FormatTime(const std::optional<int64_t>& unix_nanos) {
  return unix_nanos ? core::framework::FormatRfc3339Nano(*unix_nanos) : std::string();
}

json CustomMetadataJson(const KeyMetadata& meta) {
  return meta.custom_metadata.empty() ? json(nullptr) : json(meta.custom_metadata);
}

json VersionResponseJson(uint64_t version, const VersionMetadata& vm, const KeyMetadata& meta) {
  // Member by member: a braced list would build a two-element array per
  // member first. Same object either way (members are kept sorted).
  json out = json::object();
  out.emplace("version", version);
  out.emplace("created_time", FormatTime(vm.created_ns));
  out.emplace("deletion_time", FormatTime(vm.deletion_ns));
  out.emplace("destroyed", vm.destroyed);
  out.emplace("custom_metadata", CustomMetadataJson(meta));
  return out;
}

}  // namespace coffer::engines::kv
