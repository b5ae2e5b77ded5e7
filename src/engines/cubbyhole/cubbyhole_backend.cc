#include "engines/cubbyhole/cubbyhole_backend.h"

#include "core/framework/framework_engine.h"
#include "core/framework/json_util.h"
#include "core/framework/response_util.h"

namespace coffer::engines::cubbyhole {

namespace {

using core::EngineRequest;
using core::Operation;
using core::Response;
using core::framework::FieldData;
using core::framework::FieldType;
using nlohmann::json;

// Prefix returns the caller's storage prefix. A client id with a '/' could
// reach into another id's prefix ("a" + "b/x" vs "a/b" + "x"), so it is
// refused along with the empty id.
Result<std::string> Prefix(const EngineRequest& request) {
  if (request.client_id.empty() || request.client_id.find('/') != std::string::npos) {
    return Status::PermissionDenied("cubbyhole needs the calling token's identity");
  }
  return CubbyholeStoragePrefix(request.client_id);
}

Result<Response> HandleRead(const EngineRequest& request, const FieldData& fields) {
  COFFER_ASSIGN_OR_RETURN(std::string prefix, Prefix(request));
  std::string key = fields.GetString("path");
  if (key.empty()) {
    return core::framework::NotFoundNoMessage();
  }
  COFFER_ASSIGN_OR_RETURN(
      std::optional<json> stored,
      core::framework::ReadStoredJson(*request.storage, prefix + key, "cubbyhole entry"));
  if (!stored) {
    return core::framework::NotFoundNoMessage();
  }
  return Response::Data(std::move(*stored));
}

Result<Response> HandleWrite(const EngineRequest& request, const FieldData& fields) {
  COFFER_ASSIGN_OR_RETURN(std::string prefix, Prefix(request));
  std::string key = fields.GetString("path");
  if (key.empty()) {
    return Status::InvalidArgument("missing path");
  }
  if (!request.data.is_object() || request.data.empty()) {
    return Status::InvalidArgument("missing data fields");
  }
  COFFER_ASSIGN_OR_RETURN(std::string encoded, core::framework::EncodeJson(request.data));
  COFFER_RETURN_IF_ERROR(request.storage->Put(prefix + key, encoded));
  return Response::NoContent();
}

Result<Response> HandleDelete(const EngineRequest& request, const FieldData& fields) {
  COFFER_ASSIGN_OR_RETURN(std::string prefix, Prefix(request));
  std::string key = fields.GetString("path");
  if (key.empty()) {
    return Status::InvalidArgument("missing path");
  }
  COFFER_RETURN_IF_ERROR(request.storage->Delete(prefix + key));
  return Response::NoContent();
}

Result<Response> HandleList(const EngineRequest& request, const FieldData& fields) {
  COFFER_ASSIGN_OR_RETURN(std::string prefix, Prefix(request));
  std::string folder = fields.GetString("path");
  if (!folder.empty() && folder.back() != '/') {
    folder.push_back('/');
  }
  COFFER_ASSIGN_OR_RETURN(std::vector<std::string> keys, request.storage->List(prefix + folder));
  return core::framework::ListResponse(std::move(keys));
}

Result<bool> KeyExists(const EngineRequest& request, const FieldData& fields) {
  COFFER_ASSIGN_OR_RETURN(std::string prefix, Prefix(request));
  std::string key = fields.GetString("path");
  if (key.empty()) {
    return false;
  }
  return core::framework::StoredKeyExists(*request.storage, prefix + key);
}

core::framework::PathSpec CubbyholePath() {
  core::framework::PathSpec spec;
  spec.pattern = core::framework::MatchAll("path");
  spec.fields = {{"path", {FieldType::kString, {}, false, "Specifies the path of the secret."}}};
  spec.operations = {
      {Operation::kRead, HandleRead},
      {Operation::kUpdate, HandleWrite},
      {Operation::kDelete, HandleDelete},
      {Operation::kList, HandleList},
  };
  spec.exists = KeyExists;
  spec.takes_arbitrary_input = true;
  spec.help_synopsis = "Pass-through secret storage to a token-specific cubbyhole in the storage "
                       "backend, allowing you to read/write arbitrary data into secret storage.";
  spec.help_description = R"(
The cubbyhole backend reads and writes arbitrary data into secret storage,
encrypting it along the way.

The view into the cubbyhole storage space is different for each token; it is
a per-token private storage space.
)";
  return spec;
}

Result<std::unique_ptr<core::Engine>> NewCubbyhole(const core::EngineConfig& config) {
  return NewCubbyholeBackend(config);
}

}  // namespace

std::string CubbyholeStoragePrefix(std::string_view client_id) {
  return std::string(client_id) + "/";
}

Result<std::unique_ptr<core::Engine>> NewCubbyholeBackend(const core::EngineConfig&) {
  std::vector<core::framework::PathSpec> paths;
  paths.push_back(CubbyholePath());
  COFFER_ASSIGN_OR_RETURN(
      std::unique_ptr<core::framework::FrameworkEngine> engine,
      core::framework::FrameworkEngine::Create(
          "cubbyhole", std::move(paths),
          "The cubbyhole backend reads and writes arbitrary secrets to the backend. The secrets "
          "are stored per token: each token sees only its own cubbyhole, and it is destroyed "
          "when the token is revoked."));
  return std::unique_ptr<core::Engine>(std::move(engine));
}

COFFER_REGISTER_ENGINE("cubbyhole", &NewCubbyhole);

}  // namespace coffer::engines::cubbyhole
