// PATCH data/<path>: a JSON merge patch (RFC 7386) of the current version's
// data, stored as a new version. Like a write it honours cas; unlike a
// write it needs a live current version.
#include <mutex>

#include "core/framework/response_util.h"
#include "engines/kv/v2/paths.h"
#include "engines/kv/v2/version_store.h"

namespace coffer::engines::kv {

namespace {

using core::EngineRequest;
using core::Response;
using core::framework::FieldData;

constexpr int kHttpNotFound = 404;

Result<Response> PatchData(MountState& mount, const EngineRequest& request,
                           const FieldData& fields) {
  std::string key = fields.GetString("path");
  if (!fields.Provided("data")) {
    return Status::InvalidArgument("no data provided");
  }
  std::unique_lock lock(mount.locks.For(key));
  COFFER_ASSIGN_OR_RETURN(std::optional<KeyMetadata> meta,
                          LoadKeyMetadataCopy(mount.metadata, *request.storage, key));
  if (!meta) {
    return core::framework::NotFoundNoMessage();
  }
  COFFER_ASSIGN_OR_RETURN(KvConfig config, LoadConfig(mount.config, *request.storage));
  COFFER_RETURN_IF_ERROR(CheckCas(fields, config, *meta));

  auto current = meta->versions.find(meta->current_version);
  if (current == meta->versions.end()) {
    return core::framework::NotFoundNoMessage();
  }
  if (!current->second.ReadableAt(NowNanos(request))) {
    return core::framework::JsonResponseWithStatus(
        VersionResponseJson(meta->current_version, current->second, *meta), kHttpNotFound);
  }
  COFFER_ASSIGN_OR_RETURN(nlohmann::json patched,
                          LoadVersionData(*request.storage, key, meta->current_version));
  // merge_patch is RFC 7386: objects merge recursively, null removes a key.
  patched.merge_patch(fields.GetMap("data"));
  return WriteNewVersion(mount, request, config, std::move(*meta), patched);
}

}  // namespace

core::framework::Handler DataPatchHandler(MountPtr mount) {
  return [mount](const EngineRequest& request, const FieldData& fields) {
    return PatchData(*mount, request, fields);
  };
}

}  // namespace coffer::engines::kv
