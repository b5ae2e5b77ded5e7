// config (Vault's path_config.go). Stored at "config" as
//
//   {"disable_binding": false, "enable_identity_alias_metadata": false}
//
// disable_binding, in Vault, lets a token renew without presenting the
// login certificate again; coffer keeps and shows it. A write changes only
// the fields it gives.
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "auth/cert/paths.h"
#include "core/framework/json_util.h"

namespace coffer::auth::cert {

namespace {

using core::EngineRequest;
using core::Operation;
using core::Response;
using core::framework::FieldData;
using core::framework::FieldType;
using core::framework::PathSpec;
using nlohmann::json;

constexpr std::string_view kConfigKey = "config";
constexpr const char* kFlags[] = {"disable_binding", "enable_identity_alias_metadata"};

// ReadConfig is the stored config with every flag present (false when
// never written).
Result<json> ReadConfig(storage::Backend& storage) {
  COFFER_ASSIGN_OR_RETURN(std::optional<json> stored,
                          core::framework::ReadStoredJson(storage, kConfigKey, "cert config"));
  if (stored && !stored->is_object()) {
    return Status::Corruption("cert config is not an object");
  }
  json config = json::object();
  for (const char* flag : kFlags) {
    const bool set = stored && stored->contains(flag) && (*stored)[flag].is_boolean() &&
                     (*stored)[flag].get<bool>();
    config[flag] = set;
  }
  return config;
}

Result<Response> HandleRead(const EngineRequest& request, const FieldData&) {
  COFFER_ASSIGN_OR_RETURN(json config, ReadConfig(*request.storage));
  return Response::Data(std::move(config));
}

Result<Response> HandleWrite(std::mutex& mu, const EngineRequest& request,
                             const FieldData& fields) {
  std::lock_guard lock(mu);
  COFFER_ASSIGN_OR_RETURN(json config, ReadConfig(*request.storage));
  for (const char* flag : kFlags) {
    if (fields.Provided(flag)) {
      config[flag] = fields.GetBool(flag);
    }
  }
  COFFER_ASSIGN_OR_RETURN(std::string encoded, core::framework::EncodeJson(config));
  COFFER_RETURN_IF_ERROR(request.storage->Put(kConfigKey, encoded));
  return Response::NoContent();
}

}  // namespace

PathSpec ConfigPath() {
  PathSpec spec;
  spec.pattern = "config";
  spec.fields = {
      {"disable_binding",
       {FieldType::kBool, false, false,
        "If set, during renewal, skips the matching of presented client identity with the "
        "client identity used during login."}},
      {"enable_identity_alias_metadata",
       {FieldType::kBool, false, false,
        "If set, metadata of the certificate including the metadata corresponding to "
        "allowed_metadata_extensions will be stored in the alias."}},
  };
  // Serializes this mount's read-modify-write of the config.
  auto mu = std::make_shared<std::mutex>();
  auto write = [mu](const EngineRequest& r, const FieldData& f) { return HandleWrite(*mu, r, f); };
  spec.operations = {
      {Operation::kRead, HandleRead},
      {Operation::kCreate, write},
      {Operation::kUpdate, write},
  };
  spec.help_synopsis = "Configure the cert auth method.";
  spec.help_description = "This endpoint allows you to configure the cert auth method.";
  return spec;
}

}  // namespace coffer::auth::cert
