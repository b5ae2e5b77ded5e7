// data/<path>: read a version, write a new one, soft-delete the latest.
// PATCH lives in path_data_patch.cc.
#include <mutex>
#include <shared_mutex>

#include "core/framework/path_pattern.h"
#include "core/framework/response_util.h"
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

constexpr int kHttpNotFound = 404;

Result<Response> ReadData(MountState& mount, const EngineRequest& request,
                          const FieldData& fields) {
  std::string key = fields.GetString("path");
  std::shared_lock lock(mount.locks.For(key));
  COFFER_ASSIGN_OR_RETURN(std::shared_ptr<const KeyMetadata> meta,
                          LoadKeyMetadata(mount.metadata, *request.storage, key));
  if (!meta) {
    return core::framework::NotFoundNoMessage();
  }
  uint64_t number = meta->current_version;
  int64_t asked = fields.GetInt("version");
  if (asked > 0) {
    number = static_cast<uint64_t>(asked);
  }
  auto vm = meta->versions.find(number);
  if (vm == meta->versions.end()) {
    return core::framework::NotFoundNoMessage();
  }
  json body = json::object();
  body.emplace("metadata", VersionResponseJson(number, vm->second, *meta));
  // A deleted or destroyed version answers 404 but still shows its
  // metadata, so clients can tell "gone" from "never existed".
  if (!vm->second.ReadableAt(NowNanos(request))) {
    body.emplace("data", nullptr);
    return core::framework::JsonResponseWithStatus(std::move(body), kHttpNotFound);
  }
  // The version's stored text is served as it is: parsing it into a
  // document only to write it out again was most of a read's CPU.
  COFFER_ASSIGN_OR_RETURN(std::string data,
                          LoadEncodedVersionData(*request.storage, key, number));
  Response response = Response::Data(std::move(body));
  response.encoded_data_member = Response::EncodedMember{"data", std::move(data)};
  return response;
}

Result<Response> WriteData(MountState& mount, const EngineRequest& request,
                           const FieldData& fields) {
  std::string key = fields.GetString("path");
  if (key.empty()) {
    return Status::InvalidArgument("missing path");
  }
  // Read in place: the request's data is encoded straight from here.
  const json* data = fields.FindMap("data");
  if (data == nullptr) {
    return Status::InvalidArgument("no data provided");
  }
  COFFER_ASSIGN_OR_RETURN(KvConfig config, LoadConfig(mount.config, *request.storage));
  std::unique_lock lock(mount.locks.For(key));
  COFFER_ASSIGN_OR_RETURN(std::optional<KeyMetadata> loaded,
                          LoadKeyMetadataCopy(mount.metadata, *request.storage, key));
  KeyMetadata meta = loaded ? std::move(*loaded) : KeyMetadata{.key = key};
  COFFER_RETURN_IF_ERROR(CheckCas(fields, config, meta));
  return WriteNewVersion(mount, request, config, std::move(meta), *data);
}

Result<Response> DeleteLatest(MountState& mount, const EngineRequest& request,
                              const FieldData& fields) {
  std::string key = fields.GetString("path");
  std::unique_lock lock(mount.locks.For(key));
  COFFER_ASSIGN_OR_RETURN(std::optional<KeyMetadata> meta,
                          LoadKeyMetadataCopy(mount.metadata, *request.storage, key));
  if (!meta) {
    return Response::NoContent();
  }
  auto latest = meta->versions.find(meta->current_version);
  int64_t now = NowNanos(request);
  if (latest == meta->versions.end() || !latest->second.ReadableAt(now)) {
    return Response::NoContent();  // nothing live to delete
  }
  latest->second.deletion_ns = now;
  COFFER_RETURN_IF_ERROR(
      StoreKeyMetadata(mount.metadata, *request.storage, {}, std::move(*meta)).status());
  return Response::NoContent();
}

}  // namespace

core::framework::PathSpec PathData(MountPtr mount) {
  core::framework::PathSpec spec;
  spec.pattern = "data/" + core::framework::MatchAllNoTrailingSlash("path");
  spec.fields = {
      {"path", {FieldType::kString, {}, false, "Location of the secret."}},
      {"version",
       {FieldType::kInt, {}, false,
        "If provided during a read, the value at the version number will be returned"}},
      {"options",
       {FieldType::kMap, {}, false,
        "Options for writing a KV entry. Set the \"cas\" value to use a Check-And-Set "
        "operation. If not set the write will be allowed. If set to 0 a write will only be "
        "allowed if the key doesn't exist. If the index is non-zero the write will only be "
        "allowed if the key's current version matches the version specified in the cas "
        "parameter."}},
      {"data",
       {FieldType::kMap, {}, false,
        "The contents of the data map will be stored and returned on read."}},
  };
  spec.operations = {
      {Operation::kRead,
       [mount](const EngineRequest& r, const FieldData& f) { return ReadData(*mount, r, f); }},
      {Operation::kUpdate,
       [mount](const EngineRequest& r, const FieldData& f) { return WriteData(*mount, r, f); }},
      {Operation::kDelete,
       [mount](const EngineRequest& r, const FieldData& f) { return DeleteLatest(*mount, r, f); }},
      {Operation::kPatch, DataPatchHandler(mount)},
  };
  spec.exists = KeyExistsCheck(mount);
  spec.help_synopsis = "Write, Patch, Read, and Delete data in the Key-Value Store.";
  spec.help_description = R"(
This path takes a key name and based on the operation stores, retrieves or
deletes versions of data.

If a write operation is used the endpoint takes an options object and a data
object. The options object is used to pass some options to the write command and
the data object is encrypted and stored in the storage backend. Each write
operation for a key creates a new version and does not overwrite the previous
data.

A patch operation must be performed on an existing secret. The secret must neither
be deleted nor destroyed. Like a write operation, patch operations accept an
options object and data object. The options object is used to pass some options to
the patch command and the data object is used to perform a partial update on the
current version of the secret and store the encrypted result in the storage backend.

A read operation will return the latest version for a key unless the "version"
parameter is set, then it returns the version at that number.

Delete operations are a soft delete. They will mark the latest version as
deleted, but the underlying data will not be fully removed. Delete operations
can be undone.
)";
  return spec;
}

}  // namespace coffer::engines::kv
