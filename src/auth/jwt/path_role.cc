// role/<name> (create, update, read, delete) and LIST role (Vault's
// path_role.go). Only "jwt" roles: the OIDC authorization-code flow is not
// served, so "oidc" roles are refused.
#include <mutex>
#include <set>
#include <shared_mutex>

#include "auth/jwt/jwt_role.h"
#include "auth/jwt/paths.h"
#include "core/framework/json_util.h"
#include "core/framework/path_pattern.h"
#include "core/framework/response_util.h"
#include "core/framework/token_fields.h"

namespace coffer::auth::jwt {

namespace {

using core::EngineRequest;
using core::Operation;
using core::Response;
using core::framework::FieldData;
using core::framework::FieldSchema;
using core::framework::FieldType;
using core::framework::Fields;
using core::framework::PathSpec;
using nlohmann::json;

constexpr const char* kRoleHelpSynopsis = "Manage the roles JWTs log in with.";
constexpr const char* kRoleHelpDescription = R"(
A role binds the JWTs that may log in with it (audiences, subject, bound
claims) and sets the token they get (token_* fields). user_claim names the
claim that identifies the user.
)";

Status ValidateBoundClaims(const json& bound_claims) {
  for (const auto& [name, value] : bound_claims.items()) {
    bool ok = value.is_string();
    if (value.is_array()) {
      ok = true;
      for (const json& v : value) {
        ok = ok && v.is_string();
      }
    }
    if (!ok) {
      return Status::InvalidArgument("bound claim \"" + name +
                                     "\" is not a string or a list of strings");
    }
  }
  return Status::Ok();
}

Status ValidateClaimMappings(const std::map<std::string, std::string>& mappings) {
  std::set<std::string> targets;
  for (const auto& [claim, key] : mappings) {
    if (claim.empty() || key.empty()) {
      return Status::InvalidArgument("claim_mappings keys and values must not be empty");
    }
    if (key == "role") {
      return Status::InvalidArgument("metadata key \"role\" is reserved and may not be set via "
                                     "claim mappings");
    }
    if (!targets.insert(key).second) {
      return Status::InvalidArgument("multiple keys are mapped to metadata key \"" + key + "\"");
    }
  }
  return Status::Ok();
}

// ApplyRoleFields updates `role` with what the request gave and checks the
// result; nothing is written.
Status ApplyRoleFields(const FieldData& f, JwtRole* role) {
  COFFER_RETURN_IF_ERROR(core::framework::ApplyTokenFields(f, &role->token));
  if (f.Provided("role_type")) {
    role->role_type = f.GetString("role_type");
  }
  if (role->role_type == "oidc") {
    return Status::InvalidArgument(
        "role_type \"oidc\" is not supported: only \"jwt\" roles (JWT login) are");
  }
  if (role->role_type != "jwt") {
    return Status::InvalidArgument("invalid 'role_type': " + role->role_type);
  }
  if (f.Provided("bound_audiences")) {
    role->bound_audiences.clear();
    for (std::string& a : f.GetStrings("bound_audiences")) {
      if (!a.empty()) {
        role->bound_audiences.push_back(std::move(a));
      }
    }
  }
  if (f.Provided("bound_subject")) {
    role->bound_subject = f.GetString("bound_subject");
  }
  if (f.Provided("bound_claims")) {
    role->bound_claims = f.GetMap("bound_claims");
  }
  COFFER_RETURN_IF_ERROR(ValidateBoundClaims(role->bound_claims));
  if (f.Provided("bound_claims_type")) {
    role->bound_claims_type = f.GetString("bound_claims_type");
  }
  if (role->bound_claims_type != "string" && role->bound_claims_type != "glob") {
    return Status::InvalidArgument("invalid 'bound_claims_type': " + role->bound_claims_type);
  }
  if (f.Provided("claim_mappings")) {
    role->claim_mappings.clear();
    const json mappings = f.GetMap("claim_mappings");
    for (const auto& [claim, key] : mappings.items()) {
      if (!key.is_string()) {
        return Status::InvalidArgument("claim_mappings values must be strings");
      }
      role->claim_mappings[claim] = key.get<std::string>();
    }
  }
  COFFER_RETURN_IF_ERROR(ValidateClaimMappings(role->claim_mappings));
  if (f.Provided("user_claim")) {
    role->user_claim = f.GetString("user_claim");
  }
  if (role->user_claim.empty()) {
    return Status::InvalidArgument("a user claim must be defined on the role");
  }
  if (f.Provided("user_claim_json_pointer")) {
    role->user_claim_json_pointer = f.GetBool("user_claim_json_pointer");
  }
  if (f.Provided("groups_claim")) {
    role->groups_claim = f.GetString("groups_claim");
  }
  for (auto [name, target] : {std::pair{"clock_skew_leeway", &role->clock_skew_leeway},
                              std::pair{"expiration_leeway", &role->expiration_leeway},
                              std::pair{"not_before_leeway", &role->not_before_leeway}}) {
    if (f.Provided(name)) {
      *target = f.GetDuration(name);
    }
  }
  if (f.Provided("allowed_redirect_uris")) {
    role->allowed_redirect_uris = f.GetStrings("allowed_redirect_uris");
  }
  if (f.Provided("oidc_scopes")) {
    role->oidc_scopes = f.GetStrings("oidc_scopes");
  }
  if (f.Provided("verbose_oidc_logging")) {
    role->verbose_oidc_logging = f.GetBool("verbose_oidc_logging");
  }
  if (role->bound_audiences.empty() && role->bound_subject.empty() &&
      role->bound_claims.empty() && role->token.bound_cidrs.empty()) {
    return Status::InvalidArgument(
        "must have at least one bound constraint when creating/updating a role");
  }
  return Status::Ok();
}

Result<Response> HandleList(const EngineRequest& request, const FieldData&) {
  COFFER_ASSIGN_OR_RETURN(std::vector<std::string> keys, request.storage->List(kRoleFolder));
  return core::framework::ListResponse(std::move(keys));
}

Result<bool> RoleExists(const EngineRequest& request, const FieldData& fields) {
  return core::framework::StoredKeyExists(*request.storage, RoleKey(fields.GetString("name")));
}

Result<Response> HandleRead(const StatePtr& state, const EngineRequest& request,
                            const FieldData& fields) {
  const std::string name = fields.GetString("name");
  std::shared_lock lock(state->locks.For(RoleKey(name)));
  COFFER_ASSIGN_OR_RETURN(std::optional<JwtRole> role, ReadRole(*request.storage, name));
  if (!role) {
    return core::framework::NotFoundNoMessage();
  }
  return Response::Data(role->ToResponseData());
}

Result<Response> HandleWrite(const StatePtr& state, const EngineRequest& request,
                             const FieldData& fields) {
  const std::string name = fields.GetString("name");
  std::unique_lock lock(state->locks.For(RoleKey(name)));
  COFFER_ASSIGN_OR_RETURN(std::optional<JwtRole> stored, ReadRole(*request.storage, name));
  JwtRole role = stored ? std::move(*stored) : JwtRole();
  COFFER_RETURN_IF_ERROR(ApplyRoleFields(fields, &role));
  COFFER_RETURN_IF_ERROR(WriteRole(*request.storage, name, role));
  return Response::NoContent();
}

Result<Response> HandleDelete(const StatePtr& state, const EngineRequest& request,
                              const FieldData& fields) {
  const std::string name = fields.GetString("name");
  std::unique_lock lock(state->locks.For(RoleKey(name)));
  COFFER_RETURN_IF_ERROR(request.storage->Delete(RoleKey(name)));
  return Response::NoContent();
}

Fields RoleFields() {
  Fields fields = {
      {"name", {FieldType::kString, {}, true, "Name of the role."}},
      {"role_type", {FieldType::kString, {}, false, "Type of the role: only \"jwt\"."}},
      {"bound_audiences",
       {FieldType::kCommaStringSlice, {}, false, "Audiences; one must be in the aud claim."}},
      {"bound_subject", {FieldType::kString, {}, false, "The value the sub claim must have."}},
      {"bound_claims",
       {FieldType::kMap, {}, false, "Claims (or JSON pointers) and the values they must have."}},
      {"bound_claims_type",
       {FieldType::kString, {}, false, "How bound_claims values match: \"string\" or \"glob\"."}},
      {"claim_mappings",
       {FieldType::kMap, {}, false, "Claims copied into the token's metadata, claim → key."}},
      {"user_claim", {FieldType::kString, {}, false, "The claim naming the user (default sub)."}},
      {"user_claim_json_pointer",
       {FieldType::kBool, {}, false, "Whether user_claim is a JSON pointer."}},
      {"groups_claim", {FieldType::kString, {}, false, "The claim holding the groups."}},
      {"clock_skew_leeway",
       {FieldType::kSignedDuration, {}, false, "Leeway for clock skew (default 60s)."}},
      {"expiration_leeway",
       {FieldType::kSignedDuration, {}, false, "Leeway for the exp claim (default 150s)."}},
      {"not_before_leeway",
       {FieldType::kSignedDuration, {}, false, "Leeway for the nbf claim (default 150s)."}},
      {"allowed_redirect_uris",
       {FieldType::kCommaStringSlice, {}, false, "OIDC only; kept for compatibility."}},
      {"oidc_scopes", {FieldType::kCommaStringSlice, {}, false, "OIDC only; kept."}},
      {"verbose_oidc_logging", {FieldType::kBool, {}, false, "OIDC only; kept."}},
  };
  core::framework::AddTokenFields(fields);
  return fields;
}

}  // namespace

std::vector<PathSpec> RolePaths(StatePtr state) {
  PathSpec list;
  list.pattern = "role" + std::string(core::framework::kOptionalTrailingSlash);
  list.operations = {{Operation::kList, HandleList}};
  list.help_synopsis = "Lists all the roles registered with the backend.";
  list.help_description = "The list will contain the names of the roles.";

  PathSpec role;
  role.pattern = "role/" + core::framework::GenericName("name");
  role.fields = RoleFields();
  auto write = [state](const EngineRequest& r, const FieldData& f) {
    return HandleWrite(state, r, f);
  };
  role.operations = {
      {Operation::kRead,
       [state](const EngineRequest& r, const FieldData& f) { return HandleRead(state, r, f); }},
      {Operation::kCreate, write},
      {Operation::kUpdate, write},
      {Operation::kDelete,
       [state](const EngineRequest& r, const FieldData& f) { return HandleDelete(state, r, f); }},
  };
  role.exists = RoleExists;
  role.help_synopsis = kRoleHelpSynopsis;
  role.help_description = kRoleHelpDescription;

  std::vector<PathSpec> paths;
  paths.push_back(std::move(list));
  paths.push_back(std::move(role));
  return paths;
}

}  // namespace coffer::auth::jwt
