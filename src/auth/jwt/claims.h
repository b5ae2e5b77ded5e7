// Claim checks of a verified JWT against a role and the mount config
// (Vault's jwt plugin: cap/jwt's expected-claims validation plus
// validateBoundClaims and claim mappings). Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "auth/jwt/jwt_config.h"
#include "auth/jwt/jwt_role.h"
#include "base/glob.h"  // GlobMatch, for bound_claims_type glob
#include "base/status.h"

namespace coffer::auth::jwt {

// GetClaim finds a claim by name, or by JSON pointer when `name` starts
// with '/' ("/groups/0", "/k8s/namespace"); nullptr when absent.
const nlohmann::json* GetClaim(const nlohmann::json& claims, const std::string& name);

// ClaimText is a scalar claim as text (strings as is, numbers and booleans
// as their JSON text); nullopt for null, objects and arrays.
std::optional<std::string> ClaimText(const nlohmann::json& value);

// ValidateTimeClaims checks exp (required), nbf and iat at Unix time `now`
// with the role's leeways: InvalidArgument "token is expired", "token is
// not yet valid", "token issued in the future", "missing exp claim".
Status ValidateTimeClaims(const JwtRole& role, const nlohmann::json& claims, int64_t now);

// ValidateClaims checks everything but the signature: times, issuer,
// audience, subject and bound claims. InvalidArgument with the reason.
Status ValidateClaims(const JwtConfig& config, const JwtRole& role, const nlohmann::json& claims,
                      int64_t now);

// UserName returns the user_claim's value as text; InvalidArgument when
// missing or not a scalar.
Result<std::string> UserName(const JwtRole& role, const nlohmann::json& claims);

// MappedMetadata applies claim_mappings (absent claims are skipped);
// InvalidArgument for a mapped claim that is not a scalar.
Result<std::map<std::string, std::string>> MappedMetadata(const JwtRole& role,
                                                          const nlohmann::json& claims);

}  // namespace coffer::auth::jwt
