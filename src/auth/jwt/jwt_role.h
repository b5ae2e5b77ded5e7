// JwtRole: one jwt role as stored at "role/<name>" in the mount's view
// (one JSON object: the members below by their API names, plus "token",
// TokenParams::ToStored).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/status.h"
#include "core/login.h"
#include "storage/backend.h"

namespace coffer::auth::jwt {

inline constexpr int64_t kDefaultClockSkewLeeway = 60;
inline constexpr int64_t kDefaultExpirationLeeway = 150;
inline constexpr int64_t kDefaultNotBeforeLeeway = 150;

struct JwtRole {
  std::string role_type = "jwt";
  std::vector<std::string> bound_audiences;
  std::string bound_subject;
  // claim (a name, or a "/"-pointer) → a string or a list of strings.
  nlohmann::json bound_claims = nlohmann::json::object();
  std::string bound_claims_type = "string";  // or "glob"
  // claim → metadata key.
  std::map<std::string, std::string> claim_mappings;
  std::string user_claim = "sub";
  bool user_claim_json_pointer = false;
  std::string groups_claim;
  // Seconds; 0 takes the default above, a negative value means no leeway.
  int64_t clock_skew_leeway = kDefaultClockSkewLeeway;
  int64_t expiration_leeway = kDefaultExpirationLeeway;
  int64_t not_before_leeway = kDefaultNotBeforeLeeway;
  // OIDC-flow settings, kept and shown for Vault compatibility only.
  std::vector<std::string> allowed_redirect_uris;
  std::vector<std::string> oidc_scopes;
  bool verbose_oidc_logging = false;
  core::TokenParams token;

  nlohmann::json ToStored() const;
  static Result<JwtRole> FromStored(const nlohmann::json& stored);
  nlohmann::json ToResponseData() const;
};

// EffectiveLeeway turns a stored leeway into seconds (see above).
int64_t EffectiveLeeway(int64_t value, int64_t default_value);

inline constexpr std::string_view kRoleFolder = "role/";
std::string RoleKey(std::string_view name);
Result<std::optional<JwtRole>> ReadRole(storage::Backend& storage, std::string_view name);
Status WriteRole(storage::Backend& storage, std::string_view name, const JwtRole& role);

}  // namespace coffer::auth::jwt
