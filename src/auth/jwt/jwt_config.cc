#include "auth/jwt/jwt_config.h"

#include <algorithm>

#include "auth/jwt/jose.h"
#include "core/framework/json_util.h"

namespace coffer::auth::jwt {

using nlohmann::json;

namespace {

bool ReadString(const json& j, const char* name, std::string* out) {
  auto it = j.find(name);
  if (it == j.end() || it->is_null()) {
    return true;
  }
  if (!it->is_string()) {
    return false;
  }
  *out = it->get<std::string>();
  return true;
}

bool ReadStrings(const json& j, const char* name, std::vector<std::string>* out) {
  auto it = j.find(name);
  if (it == j.end() || it->is_null()) {
    return true;
  }
  if (!it->is_array()) {
    return false;
  }
  for (const json& v : *it) {
    if (!v.is_string()) {
      return false;
    }
    out->push_back(v.get<std::string>());
  }
  return true;
}

}  // namespace

bool JwtConfig::AlgAllowed(const std::string& alg) const {
  if (!IsSupportedAlg(alg)) {
    return false;
  }
  return jwt_supported_algs.empty() ||
         std::find(jwt_supported_algs.begin(), jwt_supported_algs.end(), alg) !=
             jwt_supported_algs.end();
}

json JwtConfig::ToJson() const {
  return {{"jwt_validation_pubkeys", jwt_validation_pubkeys},
          {"jwks_url", jwks_url},
          {"jwks_ca_pem", jwks_ca_pem},
          {"oidc_discovery_url", oidc_discovery_url},
          {"oidc_discovery_ca_pem", oidc_discovery_ca_pem},
          {"bound_issuer", bound_issuer},
          {"default_role", default_role},
          {"jwt_supported_algs", jwt_supported_algs}};
}

Result<JwtConfig> JwtConfig::FromStored(const json& stored) {
  JwtConfig c;
  if (!stored.is_object() ||
      !ReadStrings(stored, "jwt_validation_pubkeys", &c.jwt_validation_pubkeys) ||
      !ReadString(stored, "jwks_url", &c.jwks_url) ||
      !ReadString(stored, "jwks_ca_pem", &c.jwks_ca_pem) ||
      !ReadString(stored, "oidc_discovery_url", &c.oidc_discovery_url) ||
      !ReadString(stored, "oidc_discovery_ca_pem", &c.oidc_discovery_ca_pem) ||
      !ReadString(stored, "bound_issuer", &c.bound_issuer) ||
      !ReadString(stored, "default_role", &c.default_role) ||
      !ReadStrings(stored, "jwt_supported_algs", &c.jwt_supported_algs)) {
    return Status::Corruption("jwt config entry is malformed");
  }
  return c;
}

Result<std::optional<JwtConfig>> ReadConfig(storage::Backend& storage) {
  COFFER_ASSIGN_OR_RETURN(std::optional<json> stored,
                          core::framework::ReadStoredJson(storage, kConfigKey, "jwt config"));
  if (!stored) {
    return std::optional<JwtConfig>();
  }
  COFFER_ASSIGN_OR_RETURN(JwtConfig config, JwtConfig::FromStored(*stored));
  return std::optional<JwtConfig>(std::move(config));
}

Status WriteConfig(storage::Backend& storage, const JwtConfig& config) {
  COFFER_ASSIGN_OR_RETURN(std::string encoded, core::framework::EncodeJson(config.ToJson()));
  return storage.Put(kConfigKey, encoded);
}

}  // namespace coffer::auth::jwt
