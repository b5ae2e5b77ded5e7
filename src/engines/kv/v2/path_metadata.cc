// metadata/<path>: a key's settings and version history. Read, write
// (create or replace settings), patch (merge settings), delete (the key and
// every version). LIST lives in path_metadata_list.cc.
#include <limits>
#include <mutex>
#include <shared_mutex>

#include "core/framework/path_pattern.h"
#include "core/framework/response_util.h"
#include "core/framework/time_format.h"
#include "engines/kv/v2/custom_metadata.h"
#include "engines/kv/v2/paths.h"
#include "engines/kv/v2/version_store.h"

namespace coffer::engines::kv {

namespace {

using core::EngineRequest;
using core::Operation;
using core::Response;
using core::framework::FieldData;
using core::framework::FieldType;
using nlohmann::json;

constexpr char kCasIgnoredWarning[] =
    "\"cas_required\" set to false, but is mandated by backend config. This value will be "
    "ignored.";

Result<Response> ReadMetadata(MountState& mount, const EngineRequest& request,
                              const FieldData& fields) {
  std::string key = fields.GetString("path");
  std::shared_lock lock(mount.locks.For(key));
  COFFER_ASSIGN_OR_RETURN(std::shared_ptr<const KeyMetadata> meta,
                          LoadKeyMetadata(mount.metadata, *request.storage, key));
  if (!meta) {
    return core::framework::NotFoundNoMessage();
  }
  json versions = json::object();
  for (const auto& [number, vm] : meta->versions) {
    versions[std::to_string(number)] = {
        {"created_time", FormatTime(vm.created_ns)},
        {"deletion_time", FormatTime(vm.deletion_ns)},
        {"destroyed", vm.destroyed},
    };
  }
  return Response::Data({
      {"versions", std::move(versions)},
      {"current_version", meta->current_version},
      {"oldest_version", meta->oldest_version},
      {"created_time", FormatTime(meta->created_ns)},
      {"updated_time", FormatTime(meta->updated_ns)},
      {"max_versions", meta->max_versions},
      {"cas_required", meta->cas_required},
      {"delete_version_after", core::framework::FormatGoDuration(meta->delete_version_after)},
      {"custom_metadata", CustomMetadataJson(*meta)},
  });
}

// Settings are the per-key values a write or patch may change.
struct Settings {
  std::optional<uint32_t> max_versions;
  std::optional<bool> cas_required;
  std::optional<int64_t> delete_version_after;
};

Result<Settings> ParseSettings(const FieldData& fields) {
  Settings settings;
  if (fields.Provided("max_versions")) {
    int64_t max_versions = fields.GetInt("max_versions");
    if (max_versions < 0 || max_versions > std::numeric_limits<uint32_t>::max()) {
      return Status::InvalidArgument("max_versions must be between 0 and 4294967295");
    }
    settings.max_versions = static_cast<uint32_t>(max_versions);
  }
  if (fields.Provided("cas_required")) {
    settings.cas_required = fields.GetBool("cas_required");
  }
  if (fields.Provided("delete_version_after")) {
    settings.delete_version_after = fields.GetDuration("delete_version_after");
  }
  return settings;
}

void Apply(const Settings& settings, KeyMetadata* meta) {
  if (settings.max_versions) {
    meta->max_versions = *settings.max_versions;
  }
  if (settings.cas_required) {
    meta->cas_required = *settings.cas_required;
  }
  if (settings.delete_version_after) {
    meta->delete_version_after = *settings.delete_version_after;
  }
}

// CasWarning: a key cannot opt out of a cas_required the mount imposes;
// Vault accepts the write and says so.
Result<Response> ResponseWithCasWarning(MountState& mount, const EngineRequest& request,
                                        const Settings& settings) {
  Response response = Response::NoContent();
  if (settings.cas_required && !*settings.cas_required) {
    COFFER_ASSIGN_OR_RETURN(KvConfig config, LoadConfig(mount.config, *request.storage));
    if (config.cas_required) {
      response.warnings.push_back(kCasIgnoredWarning);
    }
  }
  return response;
}

Result<Response> WriteMetadata(MountState& mount, const EngineRequest& request,
                               const FieldData& fields) {
  std::string key = fields.GetString("path");
  if (key.empty()) {
    return Status::InvalidArgument("missing path");
  }
  COFFER_ASSIGN_OR_RETURN(Settings settings, ParseSettings(fields));
  bool has_custom = fields.Provided("custom_metadata");
  if (!settings.max_versions && !settings.cas_required && !settings.delete_version_after &&
      !has_custom) {
    return Response::NoContent();
  }
  CustomMetadata custom;
  if (has_custom) {
    COFFER_ASSIGN_OR_RETURN(custom,
                            ParseCustomMetadata(fields.GetMap("custom_metadata"), false));
    COFFER_RETURN_IF_ERROR(ValidateCustomMetadata(custom));
  }
  COFFER_ASSIGN_OR_RETURN(Response response, ResponseWithCasWarning(mount, request, settings));

  std::unique_lock lock(mount.locks.For(key));
  COFFER_ASSIGN_OR_RETURN(std::optional<KeyMetadata> loaded,
                          LoadKeyMetadataCopy(mount.metadata, *request.storage, key));
  KeyMetadata meta;
  if (loaded) {
    meta = std::move(*loaded);
  } else {
    int64_t now = NowNanos(request);
    meta.key = key;
    meta.created_ns = now;
    meta.updated_ns = now;
  }
  Apply(settings, &meta);
  if (has_custom) {
    meta.custom_metadata = std::move(custom);
  }
  COFFER_RETURN_IF_ERROR(
      StoreKeyMetadata(mount.metadata, *request.storage, {}, std::move(meta)).status());
  return response;
}

Result<Response> PatchMetadata(MountState& mount, const EngineRequest& request,
                               const FieldData& fields) {
  std::string key = fields.GetString("path");
  if (key.empty()) {
    return Status::InvalidArgument("missing path");
  }
  COFFER_ASSIGN_OR_RETURN(Settings settings, ParseSettings(fields));
  json custom_patch = fields.GetMap("custom_metadata");
  // Validate what the patch sets before touching storage; nulls remove keys.
  COFFER_ASSIGN_OR_RETURN(CustomMetadata set, ParseCustomMetadata(custom_patch, true));
  COFFER_RETURN_IF_ERROR(ValidateCustomMetadata(set));
  COFFER_ASSIGN_OR_RETURN(Response response, ResponseWithCasWarning(mount, request, settings));

  std::unique_lock lock(mount.locks.For(key));
  COFFER_ASSIGN_OR_RETURN(std::optional<KeyMetadata> meta,
                          LoadKeyMetadataCopy(mount.metadata, *request.storage, key));
  if (!meta) {
    return core::framework::NotFoundNoMessage();
  }
  Apply(settings, &*meta);
  for (auto it = custom_patch.begin(); it != custom_patch.end(); ++it) {
    if (it.value().is_null()) {
      meta->custom_metadata.erase(it.key());
    }
  }
  for (auto& [name, value] : set) {
    meta->custom_metadata[name] = std::move(value);
  }
  COFFER_RETURN_IF_ERROR(ValidateCustomMetadata(meta->custom_metadata));
  COFFER_RETURN_IF_ERROR(
      StoreKeyMetadata(mount.metadata, *request.storage, {}, std::move(*meta)).status());
  return response;
}

Result<Response> DeleteMetadata(MountState& mount, const EngineRequest& request,
                                const FieldData& fields) {
  std::string key = fields.GetString("path");
  std::unique_lock lock(mount.locks.For(key));
  COFFER_ASSIGN_OR_RETURN(std::shared_ptr<const KeyMetadata> meta,
                          LoadKeyMetadata(mount.metadata, *request.storage, key));
  if (!meta) {
    return Response::NoContent();
  }
  std::vector<storage::TxnOp> ops;
  for (const auto& [number, vm] : meta->versions) {
    ops.push_back(DeleteVersionOp(key, number));
  }
  ops.push_back(storage::TxnOp::Delete(MetadataStorageKey(key)));
  COFFER_RETURN_IF_ERROR(request.storage->Transaction(ops));
  return Response::NoContent();
}

}  // namespace

core::framework::PathSpec PathMetadata(MountPtr mount) {
  core::framework::PathSpec spec;
  spec.pattern = "metadata/" + core::framework::MatchAll("path");
  spec.fields = {
      {"path", {FieldType::kString, {}, false, "Location of the secret."}},
      {"cas_required",
       {FieldType::kBool, {}, false,
        "If true the key will require the cas parameter to be set on all write requests. If "
        "false, the backend's configuration will be used."}},
      {"max_versions",
       {FieldType::kInt, {}, false,
        "The number of versions to keep. If not set, the backend's configured max version is "
        "used."}},
      {"delete_version_after",
       {FieldType::kDuration, {}, false,
        "The length of time before a version is deleted. If not set, the backend's configured "
        "delete_version_after is used. A zero duration clears the current setting."}},
      {"custom_metadata",
       {FieldType::kMap, {}, false,
        "User-provided key-value pairs that are used to describe arbitrary and "
        "version-agnostic information about a secret."}},
      // LIST only (beyond Vault): pagination and recursive listing.
      {"after",
       {FieldType::kString, {}, false,
        "LIST: return only keys that sort after this one (pagination)."}},
      {"limit",
       {FieldType::kInt, {}, false,
        "LIST: return at most this many keys; 0 or absent means no limit."}},
      {"recursive",
       {FieldType::kBool, {}, false,
        "LIST: return every secret path below the prefix instead of one level."}},
  };
  spec.operations = {
      {Operation::kRead,
       [mount](const EngineRequest& r, const FieldData& f) { return ReadMetadata(*mount, r, f); }},
      {Operation::kUpdate,
       [mount](const EngineRequest& r, const FieldData& f) { return WriteMetadata(*mount, r, f); }},
      {Operation::kPatch,
       [mount](const EngineRequest& r, const FieldData& f) { return PatchMetadata(*mount, r, f); }},
      {Operation::kDelete,
       [mount](const EngineRequest& r, const FieldData& f) {
         return DeleteMetadata(*mount, r, f);
       }},
      {Operation::kList, MetadataListHandler()},
  };
  spec.exists = KeyExistsCheck(mount);
  spec.help_synopsis = "Configures settings for the KV store";
  spec.help_description = R"(
This path lets you read, write and delete a key's metadata: its version
history, max_versions, cas_required, delete_version_after and
custom_metadata. Deleting the metadata deletes every version of the key.
LIST on metadata/<folder>/ lists the keys of a folder; coffer also takes
"after" and "limit" for pagination and "recursive=true" to list every key
path below the folder.
)";
  return spec;
}

}  // namespace coffer::engines::kv
