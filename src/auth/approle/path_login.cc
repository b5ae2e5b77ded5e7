// login: {role_id, secret_id} → a LoginGrant (Vault's path_login.go). The
// core serves it without a token and mints the token from the grant.
//
// A wrong role_id, a wrong, expired or used-up secret-id, and a missing
// secret-id all answer the same 400 ("invalid role or secret ID"), so a
// failed login does not tell which credential was wrong. A secret-id's use
// count is checked and spent under its lock, after every other check, so a
// single-use secret-id logs in exactly once however many logins race.
#include <memory>
#include <mutex>
#include <shared_mutex>

#include "base/cidr.h"
#include "auth/approle/paths.h"
#include "core/framework/json_util.h"
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

Status InvalidCredentials() { return Status::InvalidArgument("invalid role or secret ID"); }

std::string Trimmed(std::string s) {
  const size_t begin = s.find_first_not_of(" \t\r\n");
  if (begin == std::string::npos) {
    return "";
  }
  const size_t end = s.find_last_not_of(" \t\r\n");
  return s.substr(begin, end - begin + 1);
}

Status CheckRoleCidrs(const RoleEntry& role, const std::string& address) {
  if (!role.secret_id_bound_cidrs.empty() && !AddressInAny(role.secret_id_bound_cidrs, address)) {
    return Status::InvalidArgument("source address \"" + address +
                                   "\" unauthorized by CIDR restrictions on the role");
  }
  return Status::Ok();
}

// SpendSecretId checks the secret-id presented for `role` and uses it up
// once: the entry's use count drops by one, and the last use deletes it.
// Returns the entry as it was. The caller holds the role's lock.
Result<SecretIdEntry> SpendSecretId(AppRoleState& state, const EngineRequest& request,
                                    const RoleEntry& role, const std::string& secret_id) {
  if (secret_id.empty() || secret_id.size() > kMaxHmacInputLength) {
    return InvalidCredentials();
  }
  storage::Backend& storage = *request.storage;
  COFFER_ASSIGN_OR_RETURN(std::string secret_id_hmac, state.Hmac(storage, secret_id));
  std::unique_lock<std::shared_mutex> secret_lock(state.SecretIdLock(secret_id_hmac));
  COFFER_ASSIGN_OR_RETURN(std::optional<SecretIdEntry> entry,
                          AppRoleState::ReadSecretId(storage, role.name, secret_id_hmac));
  const int64_t now = NowNanos(request);
  if (!entry || entry->Expired(now)) {
    return InvalidCredentials();
  }
  // A secret-id whose accessor entry is gone is revoked (as Vault does).
  COFFER_ASSIGN_OR_RETURN(std::optional<std::string> indexed,
                          AppRoleState::ReadAccessor(storage, role.name, entry->accessor));
  if (!indexed || !crypto::ConstantTimeEquals(*indexed, secret_id_hmac)) {
    COFFER_RETURN_IF_ERROR(AppRoleState::DeleteSecretId(storage, role.name, secret_id_hmac, ""));
    return InvalidCredentials();
  }
  if (!entry->cidr_list.empty() && !AddressInAny(entry->cidr_list, request.remote_address)) {
    return Status::InvalidArgument("source address \"" + request.remote_address +
                                   "\" unauthorized by CIDR restrictions on the secret ID");
  }
  COFFER_RETURN_IF_ERROR(CheckRoleCidrs(role, request.remote_address));

  if (entry->num_uses == 1) {
    COFFER_RETURN_IF_ERROR(
        AppRoleState::DeleteSecretId(storage, role.name, secret_id_hmac, entry->accessor));
  } else if (entry->num_uses > 1) {
    SecretIdEntry spent = *entry;
    spent.num_uses -= 1;
    spent.last_updated_nanos = now;
    COFFER_ASSIGN_OR_RETURN(std::string encoded, core::framework::EncodeJson(spent.ToStored()));
    COFFER_RETURN_IF_ERROR(
        storage.Put(AppRoleState::SecretIdKey(role.name, secret_id_hmac), encoded));
  }
  return std::move(*entry);
}

Result<Response> HandleLogin(AppRoleState& state, const EngineRequest& request,
                             const FieldData& fields) {
  std::string role_id = Trimmed(fields.GetString("role_id"));
  if (role_id.empty()) {
    return Status::InvalidArgument("missing role_id");
  }
  if (role_id.size() > kMaxHmacInputLength) {
    return InvalidCredentials();
  }
  storage::Backend& storage = *request.storage;
  COFFER_ASSIGN_OR_RETURN(std::string role_id_hmac, state.Hmac(storage, role_id));
  COFFER_ASSIGN_OR_RETURN(std::shared_ptr<const std::string> name,
                          state.ReadRoleIdIndexShared(storage, role_id_hmac));
  if (name == nullptr) {
    return InvalidCredentials();
  }
  std::shared_lock<std::shared_mutex> role_lock(state.RoleLock(*name));
  COFFER_ASSIGN_OR_RETURN(std::shared_ptr<const RoleEntry> role,
                          state.ReadRoleShared(storage, *name));
  // The index may be stale if the role_id changed since it was read.
  if (role == nullptr || !crypto::ConstantTimeEquals(role->role_id, role_id)) {
    return InvalidCredentials();
  }

  core::LoginGrant grant;
  grant.display_name = role->name;
  grant.token = role->token;
  if (role->bind_secret_id) {
    COFFER_ASSIGN_OR_RETURN(
        SecretIdEntry entry,
        SpendSecretId(state, request, *role, Trimmed(fields.GetString("secret_id"))));
    grant.metadata = std::move(entry.metadata);
    if (!entry.token_bound_cidrs.empty()) {
      grant.token.bound_cidrs = std::move(entry.token_bound_cidrs);
    }
  } else {
    COFFER_RETURN_IF_ERROR(CheckRoleCidrs(*role, request.remote_address));
  }
  grant.metadata["role_name"] = role->name;
  grant.renewable = true;
  Response response;
  response.login = std::move(grant);
  return response;
}

}  // namespace

PathSpec PathLogin(StatePtr state) {
  PathSpec spec;
  spec.pattern = "login";
  spec.fields = {
      {"role_id", {FieldType::kString, json(), false, "Unique identifier of the role."}},
      {"secret_id",
       {FieldType::kString, "", false,
        "A secret-id of the role; required when the role has bind_secret_id."}},
  };
  spec.operations = {
      {Operation::kUpdate,
       [state](const EngineRequest& r, const FieldData& f) { return HandleLogin(*state, r, f); }},
  };
  spec.login = true;
  spec.login_alias_field = "role_id";
  spec.help_synopsis = "Issue a token based on the credentials supplied";
  spec.help_description = R"(
While the credential 'role_id' is required at all times, other credentials
required depend on the properties of the role it belongs to. The
'bind_secret_id' constraint (enabled by default) on the role requires the
'secret_id' credential to be presented.

'role_id' is fetched using the 'role/<role_name>/role-id' endpoint and
'secret_id' is fetched using the 'role/<role_name>/secret-id' endpoint.
)";
  return spec;
}

}  // namespace coffer::auth::approle
