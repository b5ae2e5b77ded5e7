#include "engines/kv/v1/passthrough_backend.h"

#include <string>

#include "core/framework/framework_engine.h"
#include "core/framework/json_util.h"
#include "core/framework/response_util.h"
#include "core/framework/weak_decode.h"

namespace coffer::engines::kv {

namespace {

using core::EngineRequest;
using core::Operation;
using core::Response;
using core::framework::FieldData;
using core::framework::FieldType;
using nlohmann::json;

Result<Response> HandleRead(const EngineRequest& request, const FieldData& fields) {
  std::string key = fields.GetString("path");
  if (key.empty()) {
    return core::framework::NotFoundNoMessage();
  }
  COFFER_ASSIGN_OR_RETURN(std::optional<json> stored,
                          core::framework::ReadStoredJson(*request.storage, key, "kv entry"));
  if (!stored) {
    return core::framework::NotFoundNoMessage();
  }
  Response response = Response::Data(std::move(*stored));
  // A "ttl" in the secret is Vault's hint of how long clients may cache it;
  // it was validated when written.
  if (response.data.is_object() && response.data.contains("ttl")) {
    Result<int64_t> ttl = core::framework::WeakDurationSeconds(response.data["ttl"]);
    if (ttl.ok() && *ttl > 0) {
      response.lease_duration = *ttl;
    }
  }
  return response;
}

Result<Response> HandleWrite(const EngineRequest& request, const FieldData& fields) {
  std::string key = fields.GetString("path");
  if (key.empty()) {
    return Status::InvalidArgument("missing path");
  }
  // The body is the secret as sent (a body key named "path" included: the
  // capture only shadows it in `fields`).
  const json& secret = request.data;
  if (!secret.is_object() || secret.empty()) {
    return Status::InvalidArgument("data must be provided to store in secret");
  }
  if (secret.contains("ttl")) {
    Result<int64_t> ttl = core::framework::WeakDurationSeconds(secret.at("ttl"));
    if (!ttl.ok() || *ttl < 0) {
      return Status::InvalidArgument("failed to parse ttl: " +
                                     (ttl.ok() ? std::string("negative") : ttl.status().message()));
    }
  }
  COFFER_ASSIGN_OR_RETURN(std::string encoded, core::framework::EncodeJson(secret));
  COFFER_RETURN_IF_ERROR(request.storage->Put(key, encoded));
  return Response::NoContent();
}

Result<Response> HandleDelete(const EngineRequest& request, const FieldData& fields) {
  std::string key = fields.GetString("path");
  if (key.empty()) {
    return Status::InvalidArgument("missing path");
  }
  COFFER_RETURN_IF_ERROR(request.storage->Delete(key));
  return Response::NoContent();
}

Result<Response> HandleList(const EngineRequest& request, const FieldData& fields) {
  std::string prefix = fields.GetString("path");
  if (!prefix.empty() && prefix.back() != '/') {
    prefix.push_back('/');
  }
  COFFER_ASSIGN_OR_RETURN(std::vector<std::string> keys, request.storage->List(prefix));
  return core::framework::ListResponse(std::move(keys));
}

Result<bool> KeyExists(const EngineRequest& request, const FieldData& fields) {
  std::string key = fields.GetString("path");
  if (key.empty()) {
    return false;
  }
  return core::framework::StoredKeyExists(*request.storage, key);
}

core::framework::PathSpec PassthroughPath() {
  core::framework::PathSpec spec;
  spec.pattern = core::framework::MatchAll("path");
  spec.fields = {{"path", {FieldType::kString, {}, false, "Location of the secret."}}};
  spec.operations = {
      {Operation::kRead, HandleRead},
      {Operation::kUpdate, HandleWrite},
      {Operation::kDelete, HandleDelete},
      {Operation::kList, HandleList},
  };
  spec.exists = KeyExists;
  spec.takes_arbitrary_input = true;
  spec.help_synopsis = "Pass-through secret storage to the storage backend, allowing you to "
                       "read/write arbitrary data into secret storage.";
  spec.help_description = R"(
The pass-through backend reads and writes arbitrary data into secret storage,
encrypting it along the way.

A TTL can be specified when writing with the "ttl" field. If given, the
duration of leases returned by this backend will be set to this value. This
can be used as a hint from the writer of a secret to the consumer of a secret
that the consumer should re-read the value before the TTL has expired.
)";
  return spec;
}

}  // namespace

Result<std::unique_ptr<core::Engine>> NewPassthroughBackend(const core::EngineConfig& config) {
  std::vector<core::framework::PathSpec> paths;
  paths.push_back(PassthroughPath());
  COFFER_ASSIGN_OR_RETURN(
      std::unique_ptr<core::framework::FrameworkEngine> engine,
      core::framework::FrameworkEngine::Create(
          config.type, std::move(paths),
          "The kv backend reads and writes arbitrary secrets to the backend."));
  // Reads only read storage: served on an IO thread, audited after.
  // Writes only write storage: they run while their request entry is
  // written, their commit held back until it is durable.
  engine->SetReadsWithoutBlocking();
  engine->SetWritesOnlyStorage();
  return std::unique_ptr<core::Engine>(std::move(engine));
}

}  // namespace coffer::engines::kv
