#include "auth/jwt/jwt_role.h"

#include <exception>

#include "core/framework/json_util.h"
#include "core/framework/token_fields.h"

namespace coffer::auth::jwt {

using nlohmann::json;

json JwtRole::ToStored() const {
  return {{"role_type", role_type},
          {"bound_audiences", bound_audiences},
          {"bound_subject", bound_subject},
          {"bound_claims", bound_claims},
          {"bound_claims_type", bound_claims_type},
          {"claim_mappings", claim_mappings},
          {"user_claim", user_claim},
          {"user_claim_json_pointer", user_claim_json_pointer},
          {"groups_claim", groups_claim},
          {"clock_skew_leeway", clock_skew_leeway},
          {"expiration_leeway", expiration_leeway},
          {"not_before_leeway", not_before_leeway},
          {"allowed_redirect_uris", allowed_redirect_uris},
          {"oidc_scopes", oidc_scopes},
          {"verbose_oidc_logging", verbose_oidc_logging},
          {"token", token.ToStored()}};
}

Result<JwtRole> JwtRole::FromStored(const json& stored) {
  // The entry is ours; a type mismatch means damaged storage.
  try {
    if (!stored.is_object()) {
      return Status::Corruption("jwt role entry is not an object");
    }
    JwtRole r;
    r.role_type = stored.value("role_type", r.role_type);
    r.bound_audiences = stored.value("bound_audiences", r.bound_audiences);
    r.bound_subject = stored.value("bound_subject", r.bound_subject);
    r.bound_claims = stored.value("bound_claims", json::object());
    r.bound_claims_type = stored.value("bound_claims_type", r.bound_claims_type);
    r.claim_mappings = stored.value("claim_mappings", r.claim_mappings);
    r.user_claim = stored.value("user_claim", r.user_claim);
    r.user_claim_json_pointer = stored.value("user_claim_json_pointer", false);
    r.groups_claim = stored.value("groups_claim", r.groups_claim);
    r.clock_skew_leeway = stored.value("clock_skew_leeway", r.clock_skew_leeway);
    r.expiration_leeway = stored.value("expiration_leeway", r.expiration_leeway);
    r.not_before_leeway = stored.value("not_before_leeway", r.not_before_leeway);
    r.allowed_redirect_uris = stored.value("allowed_redirect_uris", r.allowed_redirect_uris);
    r.oidc_scopes = stored.value("oidc_scopes", r.oidc_scopes);
    r.verbose_oidc_logging = stored.value("verbose_oidc_logging", false);
    r.token = core::TokenParams::FromStored(stored.value("token", json::object()));
    if (!r.bound_claims.is_object()) {
      return Status::Corruption("jwt role entry has malformed bound_claims");
    }
    return r;
  } catch (const std::exception& e) {
    return Status::Corruption(std::string("jwt role entry is malformed: ") + e.what());
  }
}

json JwtRole::ToResponseData() const {
  json data = core::framework::TokenFieldsJson(token);
  json stored = ToStored();
  stored.erase("token");
  data.update(stored);
  return data;
}

int64_t EffectiveLeeway(int64_t value, int64_t default_value) {
  if (value == 0) {
    return default_value;
  }
  return value < 0 ? 0 : value;
}

std::string RoleKey(std::string_view name) {
  return std::string(kRoleFolder) + std::string(name);
}

Result<std::optional<JwtRole>> ReadRole(storage::Backend& storage, std::string_view name) {
  COFFER_ASSIGN_OR_RETURN(std::optional<json> stored,
                          core::framework::ReadStoredJson(storage, RoleKey(name), "jwt role"));
  if (!stored) {
    return std::optional<JwtRole>();
  }
  COFFER_ASSIGN_OR_RETURN(JwtRole role, JwtRole::FromStored(*stored));
  return std::optional<JwtRole>(std::move(role));
}

Status WriteRole(storage::Backend& storage, std::string_view name, const JwtRole& role) {
  COFFER_ASSIGN_OR_RETURN(std::string encoded, core::framework::EncodeJson(role.ToStored()));
  return storage.Put(RoleKey(name), encoded);
}

}  // namespace coffer::auth::jwt
