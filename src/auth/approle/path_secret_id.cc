// role/<role_name>/secret-id (generate; LIST the accessors) and
// role/<role_name>/custom-secret-id (Vault's handleRoleSecretIDCommon).
#include <mutex>
#include <shared_mutex>

#include "base/cidr.h"
#include "auth/approle/paths.h"
#include "core/framework/json_util.h"
#include "core/framework/path_pattern.h"
#include "core/framework/response_util.h"
#include "crypto/random.h"
#include "crypto/secure_buffer.h"

namespace coffer::auth::approle {

namespace {

using core::EngineRequest;
using core::Operation;
using core::Response;
using core::framework::FieldData;
using core::framework::FieldType;
using core::framework::PathSpec;
using nlohmann::json;

// GoQuoted renders a list as Go's %q of a []string: ["a" "b"].
std::string GoQuoted(const std::vector<std::string>& list) {
  std::string out = "[";
  for (size_t i = 0; i < list.size(); ++i) {
    out += (i == 0 ? "\"" : " \"") + list[i] + "\"";
  }
  return out + "]";
}

// CheckCidrSubset is Vault's verifyCIDRRoleSecretIDSubset.
Status CheckCidrSubset(const std::vector<std::string>& secret_id_cidrs,
                       const std::vector<std::string>& role_cidrs) {
  if (CidrsSubset(secret_id_cidrs, role_cidrs)) {
    return Status::Ok();
  }
  return Status::InvalidArgument(
      "failed to verify subset relationship between CIDR blocks on the role " +
      GoQuoted(role_cidrs) + " and CIDR blocks on the secret ID " + GoQuoted(secret_id_cidrs));
}

// BuildEntry makes the new secret-id's entry from the request and the role,
// checking every field against the role's limits. Nothing is written.
Result<SecretIdEntry> BuildEntry(const RoleEntry& role, const FieldData& fields,
                                 int64_t now_nanos) {
  SecretIdEntry entry;
  entry.cidr_list = fields.GetStrings("cidr_list");
  if (!ValidateCidrs(entry.cidr_list, "cidr_list").ok()) {
    return Status::InvalidArgument("failed to validate CIDR blocks");
  }
  COFFER_RETURN_IF_ERROR(CheckCidrSubset(entry.cidr_list, role.secret_id_bound_cidrs));
  entry.token_bound_cidrs = fields.GetStrings("token_bound_cidrs");
  if (!ValidateCidrs(entry.token_bound_cidrs, "token_bound_cidrs").ok()) {
    return Status::InvalidArgument("failed to validate token CIDR blocks");
  }
  COFFER_RETURN_IF_ERROR(CheckCidrSubset(entry.token_bound_cidrs, role.token.bound_cidrs));

  entry.num_uses = role.secret_id_num_uses;
  if (fields.Provided("num_uses")) {
    entry.num_uses = fields.GetInt("num_uses");
    if (entry.num_uses < 0) {
      return Status::InvalidArgument("num_uses cannot be negative");
    }
    if (role.secret_id_num_uses > 0 &&
        (entry.num_uses == 0 || entry.num_uses > role.secret_id_num_uses)) {
      return Status::InvalidArgument(
          "num_uses cannot be higher than the role's secret_id_num_uses");
    }
  }
  entry.ttl = role.secret_id_ttl;
  if (fields.Provided("ttl")) {
    entry.ttl = fields.GetDuration("ttl");
    if (role.secret_id_ttl > 0 && (entry.ttl == 0 || entry.ttl > role.secret_id_ttl)) {
      return Status::InvalidArgument("ttl cannot be longer than the role's secret_id_ttl");
    }
  }
  COFFER_ASSIGN_OR_RETURN(entry.metadata, ParseSecretIdMetadata(fields.GetString("metadata")));
  COFFER_ASSIGN_OR_RETURN(entry.accessor, crypto::RandomUuid());
  entry.creation_nanos = now_nanos;
  entry.last_updated_nanos = now_nanos;
  if (entry.ttl > 0) {
    entry.expiration_nanos = now_nanos + entry.ttl * 1'000'000'000LL;
  }
  return entry;
}

// IssueSecretId registers `secret_id` against the role named in the request
// (Vault's handleRoleSecretIDCommon and registerSecretIDEntry).
Result<Response> IssueSecretId(AppRoleState& state, const EngineRequest& request,
                               const FieldData& fields, const std::string& secret_id) {
  const std::string name = RoleName(fields);
  if (secret_id.empty()) {
    return Status::InvalidArgument("missing secret_id");
  }
  if (secret_id.size() > kMaxHmacInputLength) {
    return Status::InvalidArgument("secret_id is longer than maximum of " +
                                   std::to_string(kMaxHmacInputLength) + " bytes");
  }
  storage::Backend& storage = *request.storage;
  std::shared_lock<std::shared_mutex> role_lock(state.RoleLock(name));
  COFFER_ASSIGN_OR_RETURN(std::optional<RoleEntry> role, AppRoleState::ReadRole(storage, name));
  if (!role) {
    return RoleNotFound(name);
  }
  if (!role->bind_secret_id) {
    return Status::InvalidArgument("bind_secret_id is not set on the role");
  }
  COFFER_ASSIGN_OR_RETURN(SecretIdEntry entry, BuildEntry(*role, fields, NowNanos(request)));
  COFFER_ASSIGN_OR_RETURN(std::string secret_id_hmac, state.Hmac(storage, secret_id));

  std::unique_lock<std::shared_mutex> secret_lock(state.SecretIdLock(secret_id_hmac));
  COFFER_ASSIGN_OR_RETURN(std::optional<SecretIdEntry> existing,
                          AppRoleState::ReadSecretId(storage, name, secret_id_hmac));
  if (existing) {
    return Status::InvalidArgument("SecretID is already registered");
  }
  COFFER_ASSIGN_OR_RETURN(std::string encoded_entry, core::framework::EncodeJson(entry.ToStored()));
  COFFER_ASSIGN_OR_RETURN(std::string encoded_accessor,
                          core::framework::EncodeJson(json{{"secret_id_hmac", secret_id_hmac}}));
  COFFER_RETURN_IF_ERROR(storage.Transaction(
      {storage::TxnOp::Put(AppRoleState::SecretIdKey(name, secret_id_hmac), encoded_entry),
       storage::TxnOp::Put(AppRoleState::AccessorKey(name, entry.accessor), encoded_accessor)}));
  return Response::Data({{"secret_id", secret_id},
                         {"secret_id_accessor", entry.accessor},
                         {"secret_id_ttl", entry.ttl},
                         {"secret_id_num_uses", entry.num_uses}});
}

Result<Response> HandleGenerate(AppRoleState& state, const EngineRequest& request,
                                const FieldData& fields) {
  COFFER_ASSIGN_OR_RETURN(std::string secret_id, crypto::RandomUuid());
  Result<Response> response = IssueSecretId(state, request, fields, secret_id);
  crypto::Wipe(secret_id.data(), secret_id.size());
  return response;
}

Result<Response> HandleCustom(AppRoleState& state, const EngineRequest& request,
                              const FieldData& fields) {
  return IssueSecretId(state, request, fields, fields.GetString("secret_id"));
}

Result<Response> HandleListAccessors(AppRoleState& state, const EngineRequest& request,
                                     const FieldData& fields) {
  const std::string name = RoleName(fields);
  std::shared_lock<std::shared_mutex> role_lock(state.RoleLock(name));
  COFFER_ASSIGN_OR_RETURN(std::optional<RoleEntry> role,
                          AppRoleState::ReadRole(*request.storage, name));
  if (!role) {
    return RoleNotFound(name);
  }
  COFFER_ASSIGN_OR_RETURN(std::vector<std::string> accessors,
                          request.storage->List(AppRoleState::AccessorPrefix(name)));
  return core::framework::ListResponse(std::move(accessors));
}

core::framework::Fields IssueFields(bool custom) {
  core::framework::Fields fields = {
      {"role_name", RoleNameField()},
      {"metadata",
       {FieldType::kString, json(), false,
        "Metadata tied to the secret-id: a JSON object of strings, set on its tokens."}},
      {"cidr_list",
       {FieldType::kCommaStringSlice, json(), false, "CIDR blocks that may log in with it."}},
      {"token_bound_cidrs",
       {FieldType::kCommaStringSlice, json(), false,
        "CIDR blocks its tokens may be used from; overrides the role's."}},
      {"num_uses", {FieldType::kInt, json(), false, "Logins it allows (0: unlimited)."}},
      {"ttl", {FieldType::kDuration, json(), false, "Its lifetime (0: no expiry)."}},
  };
  if (custom) {
    fields["secret_id"] = {FieldType::kString, json(), false, "The secret-id to register."};
  }
  return fields;
}

}  // namespace

std::vector<PathSpec> PathsSecretId(StatePtr state) {
  const std::string role = "role/" + core::framework::GenericName("role_name");
  std::vector<PathSpec> paths;

  PathSpec generate;
  generate.pattern = role + "/secret-id/?";
  generate.fields = IssueFields(false);
  generate.operations = {
      {Operation::kUpdate,
       [state](const EngineRequest& r, const FieldData& f) {
         return HandleGenerate(*state, r, f);
       }},
      {Operation::kList,
       [state](const EngineRequest& r, const FieldData& f) {
         return HandleListAccessors(*state, r, f);
       }},
  };
  generate.help_synopsis = "Generate a SecretID against this role.";
  generate.help_description = R"(
The SecretID generated here is scoped to this role. It expires after the
'ttl' given or the role's 'secret_id_ttl', and allows 'num_uses' logins or
the role's 'secret_id_num_uses'. LIST returns the accessors of the role's
SecretIDs.
)";
  paths.push_back(std::move(generate));

  PathSpec custom;
  custom.pattern = role + "/custom-secret-id";
  custom.fields = IssueFields(true);
  custom.operations = {
      {Operation::kUpdate,
       [state](const EngineRequest& r, const FieldData& f) { return HandleCustom(*state, r, f); }},
  };
  custom.help_synopsis = "Assign a SecretID of choice against the role.";
  custom.help_description = R"(
Registers a client-supplied SecretID ("push" mode). It behaves like the
generated ones and takes the same options.
)";
  paths.push_back(std::move(custom));
  return paths;
}

}  // namespace coffer::auth::approle
