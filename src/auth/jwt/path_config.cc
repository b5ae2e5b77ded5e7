// config: the mount's key source, bound issuer, default role and allowed
// algorithms (Vault's path_config.go). A write replaces the whole config
// and is refused unless exactly one key source is set and it yields keys
// (remote sources are fetched on write, as Vault validates them).
#include <mutex>
#include <shared_mutex>

#include "auth/jwt/jose.h"
#include "auth/jwt/jwt_config.h"
#include "auth/jwt/paths.h"
#include "core/framework/response_util.h"

namespace coffer::auth::jwt {

namespace {

using core::EngineRequest;
using core::Operation;
using core::Response;
using core::framework::FieldData;
using core::framework::FieldType;
using core::framework::PathSpec;

Result<Response> HandleRead(const EngineRequest& request, const FieldData&) {
  COFFER_ASSIGN_OR_RETURN(std::optional<JwtConfig> config, ReadConfig(*request.storage));
  if (!config) {
    return core::framework::NotFoundNoMessage();
  }
  return Response::Data(config->ToJson());
}

// ValidateKeySource checks the source's keys; for a remote source it
// fetches them and primes the cache.
Status ValidateKeySource(JwtState& state, const JwtConfig& config) {
  if (config.KeySourceCount() != 1) {
    return Status::InvalidArgument(
        "exactly one of 'jwt_validation_pubkeys', 'jwks_url' or 'oidc_discovery_url' must be set");
  }
  if (!config.jwt_validation_pubkeys.empty()) {
    for (const std::string& pem : config.jwt_validation_pubkeys) {
      Result<std::vector<PublicKey>> keys = KeysFromPem(pem);
      if (!keys.ok()) {
        return Status::InvalidArgument("error parsing public key: " + keys.status().message());
      }
    }
    return Status::Ok();
  }
  Result<std::vector<KeyWithId>> keys = FetchRemoteKeys(config, state.keys.get());
  if (!keys.ok()) {
    return Status::InvalidArgument(
        std::string(config.jwks_url.empty() ? "error checking oidc discovery URL: "
                                            : "error checking jwks URL: ") +
        keys.status().message());
  }
  state.keys.Store(config, std::move(keys).value());
  return Status::Ok();
}

Result<Response> HandleWrite(const StatePtr& state, const EngineRequest& request,
                             const FieldData& fields) {
  JwtConfig config;
  for (std::string& pem : fields.GetStrings("jwt_validation_pubkeys")) {
    if (!pem.empty()) {
      config.jwt_validation_pubkeys.push_back(std::move(pem));
    }
  }
  config.jwks_url = fields.GetString("jwks_url");
  config.jwks_ca_pem = fields.GetString("jwks_ca_pem");
  config.oidc_discovery_url = fields.GetString("oidc_discovery_url");
  config.oidc_discovery_ca_pem = fields.GetString("oidc_discovery_ca_pem");
  config.bound_issuer = fields.GetString("bound_issuer");
  config.default_role = fields.GetString("default_role");
  for (std::string& alg : fields.GetStrings("jwt_supported_algs")) {
    if (alg.empty()) {
      continue;
    }
    if (!IsSupportedAlg(alg)) {
      return Status::InvalidArgument("unsupported signing algorithm \"" + alg + "\"");
    }
    config.jwt_supported_algs.push_back(std::move(alg));
  }
  COFFER_RETURN_IF_ERROR(ValidateKeySource(*state, config));
  std::unique_lock lock(state->locks.For(kConfigKey));
  COFFER_RETURN_IF_ERROR(WriteConfig(*request.storage, config));
  return Response::NoContent();
}

}  // namespace

PathSpec ConfigPath(StatePtr state) {
  PathSpec spec;
  spec.pattern = "config";
  spec.fields = {
      {"jwt_validation_pubkeys",
       {FieldType::kCommaStringSlice, {}, false,
        "PEM-encoded public keys that verify JWT signatures."}},
      {"jwks_url", {FieldType::kString, {}, false, "JWKS URL to fetch signing keys from."}},
      {"jwks_ca_pem", {FieldType::kString, {}, false, "CA certificates (PEM) for jwks_url."}},
      {"oidc_discovery_url",
       {FieldType::kString, {}, false, "OIDC discovery URL, without .well-known."}},
      {"oidc_discovery_ca_pem",
       {FieldType::kString, {}, false, "CA certificates (PEM) for oidc_discovery_url."}},
      {"bound_issuer", {FieldType::kString, {}, false, "The value the iss claim must have."}},
      {"default_role", {FieldType::kString, {}, false, "The role a login without one uses."}},
      {"jwt_supported_algs",
       {FieldType::kCommaStringSlice, {}, false, "Signing algorithms allowed; default all."}},
  };
  spec.operations = {
      {Operation::kRead, HandleRead},
      {Operation::kUpdate,
       [state](const EngineRequest& r, const FieldData& f) { return HandleWrite(state, r, f); }},
  };
  spec.help_synopsis = "Configure the JWT authentication backend.";
  spec.help_description =
      "The JWT backend validates JWTs against keys from exactly one of: static PEM public keys "
      "(jwt_validation_pubkeys), a JWKS URL (jwks_url), or OIDC discovery (oidc_discovery_url).";
  return spec;
}

}  // namespace coffer::auth::jwt
