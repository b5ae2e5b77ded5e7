// JwtConfig: the jwt/oidc mount's configuration, as stored at "config" in
// the mount's view (one JSON object, the members below by their API names).
// Exactly one key source is set: jwt_validation_pubkeys, jwks_url or
// oidc_discovery_url.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/status.h"
#include "storage/backend.h"

namespace coffer::auth::jwt {

struct JwtConfig {
  std::vector<std::string> jwt_validation_pubkeys;  // PEM public keys
  std::string jwks_url;
  std::string jwks_ca_pem;
  std::string oidc_discovery_url;
  std::string oidc_discovery_ca_pem;
  std::string bound_issuer;
  std::string default_role;
  // Empty: every algorithm jose.h supports.
  std::vector<std::string> jwt_supported_algs;

  // KeySourceCount is how many of the three key sources are set.
  int KeySourceCount() const {
    return (jwt_validation_pubkeys.empty() ? 0 : 1) + (jwks_url.empty() ? 0 : 1) +
           (oidc_discovery_url.empty() ? 0 : 1);
  }
  // AlgAllowed applies jwt_supported_algs.
  bool AlgAllowed(const std::string& alg) const;

  nlohmann::json ToJson() const;  // stored form and what a read shows
  // FromStored reads what ToJson wrote; Corruption when malformed.
  static Result<JwtConfig> FromStored(const nlohmann::json& stored);
};

inline constexpr char kConfigKey[] = "config";

// ReadConfig loads the mount's config; nullopt when none was written.
Result<std::optional<JwtConfig>> ReadConfig(storage::Backend& storage);
Status WriteConfig(storage::Backend& storage, const JwtConfig& config);

}  // namespace coffer::auth::jwt
