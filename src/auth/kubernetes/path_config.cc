// config (Vault's path_config.go): where the API server is and how to
// reach it. A write replaces the whole config.
#include <optional>
#include <string>
#include <vector>

#include "auth/kubernetes/config_entry.h"
#include "auth/kubernetes/paths.h"
#include "core/framework/json_util.h"
#include "core/framework/response_util.h"

namespace coffer::auth::kubernetes {

namespace {

using core::EngineRequest;
using core::Operation;
using core::Response;
using core::framework::FieldData;
using core::framework::FieldType;
using core::framework::PathSpec;

Result<Response> HandleRead(const EngineRequest& request, const FieldData&) {
  COFFER_ASSIGN_OR_RETURN(std::optional<ConfigEntry> config, ReadConfig(*request.storage));
  if (!config) {
    return core::framework::NotFoundNoMessage();
  }
  return Response::Data(config->ToResponseData());
}

Result<Response> HandleWrite(const EngineRequest& request, const FieldData& fields) {
  ConfigEntry config;
  config.kubernetes_host = fields.GetString("kubernetes_host");
  COFFER_RETURN_IF_ERROR(ValidateHost(config.kubernetes_host));
  config.kubernetes_ca_cert = fields.GetString("kubernetes_ca_cert");
  if (!config.kubernetes_ca_cert.empty()) {
    COFFER_RETURN_IF_ERROR(ValidateCaCert(config.kubernetes_ca_cert));
  }
  for (std::string& key : fields.GetStrings("pem_keys")) {
    if (key.empty()) {
      continue;
    }
    COFFER_RETURN_IF_ERROR(ValidatePemKey(key));
    config.pem_keys.push_back(std::move(key));
  }
  config.token_reviewer_jwt = fields.GetString("token_reviewer_jwt");
  config.issuer = fields.GetString("issuer");
  config.disable_iss_validation = fields.GetBool("disable_iss_validation");
  config.disable_local_ca_jwt = fields.GetBool("disable_local_ca_jwt");
  COFFER_RETURN_IF_ERROR(WriteConfig(*request.storage, config));
  return Response::NoContent();
}

Result<bool> ConfigExists(const EngineRequest& request, const FieldData&) {
  return core::framework::StoredKeyExists(*request.storage, kConfigKey);
}

}  // namespace

PathSpec ConfigPath() {
  PathSpec spec;
  spec.pattern = "config";
  spec.fields = {
      {"kubernetes_host",
       {FieldType::kString, {}, false,
        "URL of the Kubernetes API server, e.g. https://k8s.example.com:443."}},
      {"kubernetes_ca_cert",
       {FieldType::kString, {}, false, "PEM CA certificate(s) of the Kubernetes API server."}},
      {"token_reviewer_jwt",
       {FieldType::kString, {}, false,
        "A service account JWT allowed to call the TokenReview API. Without one, the JWT "
        "being logged in with is used."}},
      {"pem_keys",
       {FieldType::kCommaStringSlice, {}, false,
        "PEM public keys or certificates of the service account JWT signers."}},
      {"issuer", {FieldType::kString, {}, false, "Optional JWT issuer."}},
      {"disable_iss_validation",
       {FieldType::kBool, true, false, "Do not validate the JWT issuer (the default)."}},
      {"disable_local_ca_jwt",
       {FieldType::kBool, false, false,
        "Do not fall back to the pod's own service account CA and token."}},
  };
  spec.operations = {
      {Operation::kRead, HandleRead},
      {Operation::kCreate, HandleWrite},
      {Operation::kUpdate, HandleWrite},
  };
  spec.exists = ConfigExists;
  spec.help_synopsis = "Configures the JWT public key and Kubernetes API information.";
  spec.help_description =
      "The Kubernetes auth method validates service account JWTs with the Kubernetes "
      "TokenReview API. This endpoint configures how to reach the API server.";
  return spec;
}

}  // namespace coffer::auth::kubernetes
