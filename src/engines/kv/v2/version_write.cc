// Writing a new version (data write and patch) and the helpers the data
// handlers share.
#include "core/framework/time_format.h"
#include "core/framework/weak_decode.h"
#include "engines/kv/v2/paths.h"
#include "engines/kv/v2/version_store.h"

namespace coffer::engines::kv {

using core::EngineRequest;
using core::Response;
using core::framework::FieldData;

int64_t NowNanos(const EngineRequest& request) {
  return core::framework::UnixNanos(request.clock->Now());
}

Status CheckCas(const FieldData& fields, const KvConfig& config, const KeyMetadata& meta) {
  nlohmann::json options = fields.GetMap("options");
  auto cas = options.find("cas");
  if (cas != options.end()) {
    Result<int64_t> expected = core::framework::WeakInt(*cas);
    if (!expected.ok()) {
      return Status::InvalidArgument("error parsing check-and-set parameter");
    }
    if (*expected < 0 || static_cast<uint64_t>(*expected) != meta.current_version) {
      return Status::InvalidArgument(
          "check-and-set parameter did not match the current version");
    }
    return Status::Ok();
  }
  if (config.cas_required || meta.cas_required) {
    return Status::InvalidArgument("check-and-set parameter required for this call");
  }
  return Status::Ok();
}

Result<Response> WriteNewVersion(MountState& mount, const EngineRequest& request,
                                 const KvConfig& config, KeyMetadata meta,
                                 const nlohmann::json& data) {
  int64_t now = NowNanos(request);
  std::optional<int64_t> deletion = DeletionTimeFor(now, config, meta);
  std::vector<storage::TxnOp> ops;
  COFFER_ASSIGN_OR_RETURN(storage::TxnOp put_version,
                          PutVersionOp(meta.key, meta.current_version + 1, data, now));
  ops.push_back(std::move(put_version));
  for (uint64_t dropped : meta.AddVersion(now, deletion, config.max_versions)) {
    ops.push_back(DeleteVersionOp(meta.key, dropped));
  }
  COFFER_ASSIGN_OR_RETURN(
      std::shared_ptr<const KeyMetadata> stored,
      StoreKeyMetadata(mount.metadata, *request.storage, std::move(ops), std::move(meta)));
  const VersionMetadata& added = stored->versions.at(stored->current_version);
  return Response::Data(VersionResponseJson(stored->current_version, added, *stored));
}

core::framework::ExistenceCheck KeyExistsCheck(MountPtr mount) {
  // Decodes (rather than only tests for) the metadata, so corrupt metadata
  // fails the request as before; the cache makes the handler's own load
  // that follows for the same bytes a hit.
  return [mount](const EngineRequest& request, const FieldData& fields) -> Result<bool> {
    COFFER_ASSIGN_OR_RETURN(
        std::shared_ptr<const KeyMetadata> meta,
        LoadKeyMetadata(mount->metadata, *request.storage, fields.GetString("path")));
    return meta != nullptr;
  };
}

}  // namespace coffer::engines::kv
