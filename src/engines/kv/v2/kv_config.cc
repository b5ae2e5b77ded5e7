#include "engines/kv/v2/kv_config.h"

#include <limits>

#include <nlohmann/json.hpp>

#include "core/framework/json_util.h"
#include "engines/kv/v2/stored_object.h"

namespace coffer::engines::kv {

namespace {

Result<KvConfig> DecodeConfig(std::string_view bytes) {
  COFFER_ASSIGN_OR_RETURN(nlohmann::json stored,
                          core::framework::DecodeStoredJson(bytes, "kv configuration"));
  StoredObject object(stored, "kv configuration");
  KvConfig config;
  uint64_t max_versions = object.Uint("max_versions");
  config.cas_required = object.Bool("cas_required");
  config.delete_version_after = object.Int("delete_version_after");
  COFFER_RETURN_IF_ERROR(object.status());
  if (max_versions > std::numeric_limits<uint32_t>::max()) {
    return Status::Corruption("stored kv configuration has max_versions out of range");
  }
  config.max_versions = static_cast<uint32_t>(max_versions);
  return config;
}

}  // namespace

Result<KvConfig> LoadConfig(ConfigCache& cache, storage::Backend& storage) {
  Result<std::string> bytes = storage.Get(kConfigStorageKey);
  if (bytes.status().IsNotFound()) {
    return KvConfig();
  }
  if (!bytes.ok()) {
    return bytes.status();
  }
  if (std::shared_ptr<const KvConfig> cached = cache.Find(kConfigStorageKey, *bytes)) {
    return *cached;
  }
  COFFER_ASSIGN_OR_RETURN(KvConfig config, DecodeConfig(*bytes));
  cache.Insert(kConfigStorageKey, std::move(bytes).value(), std::make_shared<KvConfig>(config));
  return config;
}

Status SaveConfig(storage::Backend& storage, const KvConfig& config) {
  nlohmann::json j = {
      {"max_versions", config.max_versions},
      {"cas_required", config.cas_required},
      {"delete_version_after", config.delete_version_after},
  };
  return storage.Put(kConfigStorageKey, j.dump());
}

}  // namespace coffer::engines::kv
