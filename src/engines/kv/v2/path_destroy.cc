// destroy/<path>: remove chosen versions' data for good. Their metadata
// stays, marked destroyed, so the history still shows them.
#include <mutex>

#include "core/framework/path_pattern.h"
#include "engines/kv/v2/paths.h"
#include "engines/kv/v2/version_store.h"

namespace coffer::engines::kv {

namespace {

using core::EngineRequest;
using core::Operation;
using core::Response;
using core::framework::FieldData;
using core::framework::FieldType;

Result<Response> DestroyVersions(MountState& mount,
                                 const EngineRequest& request, const FieldData& fields) {
  std::string key = fields.GetString("path");
  std::vector<int64_t> versions = fields.GetInts("versions");
  if (versions.empty()) {
    return Status::InvalidArgument("no version number provided");
  }
  std::unique_lock lock(mount.locks.For(key));
  COFFER_ASSIGN_OR_RETURN(std::optional<KeyMetadata> meta,
                          LoadKeyMetadataCopy(mount.metadata, *request.storage, key));
  if (!meta) {
    return Response::NoContent();
  }
  std::vector<storage::TxnOp> ops;
  for (int64_t number : versions) {
    auto vm = meta->versions.find(static_cast<uint64_t>(number));
    if (number <= 0 || vm == meta->versions.end() || vm->second.destroyed) {
      continue;
    }
    vm->second.destroyed = true;
    ops.push_back(DeleteVersionOp(key, vm->first));
  }
  COFFER_RETURN_IF_ERROR(
      StoreKeyMetadata(mount.metadata, *request.storage, std::move(ops), std::move(*meta))
          .status());
  return Response::NoContent();
}

}  // namespace

core::framework::PathSpec PathDestroy(MountPtr mount) {
  core::framework::PathSpec spec;
  spec.pattern = "destroy/" + core::framework::MatchAll("path");
  spec.fields = {
      {"path", {FieldType::kString, {}, false, "Location of the secret."}},
      {"versions", {FieldType::kIntSlice, {}, false, "The versions to destroy. Their data will be "
                                                     "permanently deleted."}},
  };
  spec.operations = {
      {Operation::kUpdate, [mount](const EngineRequest& r, const FieldData& f) {
         return DestroyVersions(*mount, r, f);
       }}};
  spec.help_synopsis = "Permanently removes one or more versions in the KV store";
  spec.help_description = R"(
Permanently removes the specified version numbers for the provided key and path
from the key-value store.
)";
  return spec;
}

}  // namespace coffer::engines::kv
