// delete/<path> and undelete/<path>: soft-delete chosen versions, or bring
// them back. Neither touches the version data.
#include <mutex>

#include "core/framework/path_pattern.h"
#include "engines/kv/v2/paths.h"

namespace coffer::engines::kv {

namespace {

using core::EngineRequest;
using core::Operation;
using core::Response;
using core::framework::FieldData;
using core::framework::FieldType;

Result<Response> DeleteVersions(MountState& mount, const EngineRequest& request,
                                const FieldData& fields) {
  std::string key = fields.GetString("path");
  std::vector<int64_t> versions = fields.GetInts("versions");
  if (versions.empty()) {
    return Status::InvalidArgument("No version number provided");
  }
  std::unique_lock lock(mount.locks.For(key));
  COFFER_ASSIGN_OR_RETURN(std::optional<KeyMetadata> meta,
                          LoadKeyMetadataCopy(mount.metadata, *request.storage, key));
  if (!meta) {
    return Response::NoContent();
  }
  int64_t now = NowNanos(request);
  for (int64_t number : versions) {
    auto vm = meta->versions.find(static_cast<uint64_t>(number));
    if (number <= 0 || vm == meta->versions.end() || !vm->second.ReadableAt(now)) {
      continue;  // unknown, destroyed or already deleted
    }
    vm->second.deletion_ns = now;
  }
  COFFER_RETURN_IF_ERROR(
      StoreKeyMetadata(mount.metadata, *request.storage, {}, std::move(*meta)).status());
  return Response::NoContent();
}

Result<Response> UndeleteVersions(MountState& mount,
                                  const EngineRequest& request, const FieldData& fields) {
  std::string key = fields.GetString("path");
  std::vector<int64_t> versions = fields.GetInts("versions");
  if (versions.empty()) {
    return Status::InvalidArgument("No version number provided");
  }
  COFFER_ASSIGN_OR_RETURN(KvConfig config, LoadConfig(mount.config, *request.storage));
  std::unique_lock lock(mount.locks.For(key));
  COFFER_ASSIGN_OR_RETURN(std::optional<KeyMetadata> meta,
                          LoadKeyMetadataCopy(mount.metadata, *request.storage, key));
  if (!meta) {
    return Response::NoContent();
  }
  int64_t now = NowNanos(request);
  for (int64_t number : versions) {
    auto vm = meta->versions.find(static_cast<uint64_t>(number));
    if (number <= 0 || vm == meta->versions.end() || vm->second.destroyed) {
      continue;
    }
    // An undeleted version starts a fresh delete_version_after period.
    vm->second.deletion_ns = DeletionTimeFor(now, config, *meta);
  }
  COFFER_RETURN_IF_ERROR(
      StoreKeyMetadata(mount.metadata, *request.storage, {}, std::move(*meta)).status());
  return Response::NoContent();
}

core::framework::Fields VersionFields(const char* versions_description) {
  return {
      {"path", {FieldType::kString, {}, false, "Location of the secret."}},
      {"versions", {FieldType::kIntSlice, {}, false, versions_description}},
  };
}

}  // namespace

std::vector<core::framework::PathSpec> PathsDelete(MountPtr mount) {
  core::framework::PathSpec del;
  del.pattern = "delete/" + core::framework::MatchAll("path");
  del.fields = VersionFields(
      "The versions to be archived. The versioned data will not be deleted, but it will no "
      "longer be returned in normal get requests.");
  del.operations = {
      {Operation::kUpdate, [mount](const EngineRequest& r, const FieldData& f) {
         return DeleteVersions(*mount, r, f);
       }}};
  del.help_synopsis = "Marks one or more versions as deleted in the KV store.";
  del.help_description = R"(
Deletes the data for the provided version and path in the key-value store. The
versioned data will not be fully removed, but marked as deleted and will no
longer be returned in normal get requests. This operation can be undone.
)";

  core::framework::PathSpec undel;
  undel.pattern = "undelete/" + core::framework::MatchAll("path");
  undel.fields = VersionFields(
      "The versions to unarchive. The versions will be restored and their data will be "
      "returned on normal get requests.");
  undel.operations = {
      {Operation::kUpdate, [mount](const EngineRequest& r, const FieldData& f) {
         return UndeleteVersions(*mount, r, f);
       }}};
  undel.help_synopsis = "Undeletes one or more versions from the KV store.";
  undel.help_description = R"(
Undeletes the data for the provided version and path in the key-value store.
This restores the data, allowing it to be returned on get requests.
)";

  std::vector<core::framework::PathSpec> paths;
  paths.push_back(std::move(del));
  paths.push_back(std::move(undel));
  return paths;
}

}  // namespace coffer::engines::kv
