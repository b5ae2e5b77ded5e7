// login: {role, jwt} → a LoginGrant (Vault's path_login.go for JWT
// logins). The JWT's signature is verified against the config's key source
// first, then its claims against the role; every failure is a 400 and no
// token.
#include <chrono>
#include <optional>
#include <string>

#include "auth/jwt/claims.h"
#include "auth/jwt/jose.h"
#include "auth/jwt/jwt_config.h"
#include "auth/jwt/jwt_role.h"
#include "auth/jwt/paths.h"
#include "base/cidr.h"

namespace coffer::auth::jwt {

namespace {

using core::EngineRequest;
using core::Operation;
using core::Response;
using core::framework::FieldData;
using core::framework::FieldType;
using core::framework::PathSpec;
using nlohmann::json;

Status SignatureFailed() { return Status::InvalidArgument("signature verification failed"); }

// AnyKeyVerifies tries each key; OK when one verifies the signature.
Status AnyKeyVerifies(const CompactJws& jws, const std::string& alg,
                      const std::vector<PublicKey>& keys) {
  for (const PublicKey& key : keys) {
    COFFER_ASSIGN_OR_RETURN(bool ok,
                            VerifyJwsSignature(alg, key.get(), jws.signing_input, jws.signature));
    if (ok) {
      return Status::Ok();
    }
  }
  return SignatureFailed();
}

// RemoteCandidates picks the keys a token's kid names (all keys when it
// names none).
std::vector<PublicKey> RemoteCandidates(const std::vector<KeyWithId>& keys,
                                        const std::string& kid) {
  std::vector<PublicKey> out;
  for (const KeyWithId& k : keys) {
    if (kid.empty() || k.kid == kid) {
      out.push_back(k.key);
    }
  }
  return out;
}

Status VerifySignature(JwtState& state, const JwtConfig& config, const CompactJws& jws) {
  const std::string alg = jws.header["alg"].get<std::string>();
  if (alg == "none") {
    return Status::InvalidArgument("signing algorithm \"none\" is not allowed");
  }
  if (!config.AlgAllowed(alg)) {
    return Status::InvalidArgument("unsupported signing algorithm \"" + alg + "\"");
  }
  if (!config.jwt_validation_pubkeys.empty()) {
    std::vector<PublicKey> keys;
    for (const std::string& pem : config.jwt_validation_pubkeys) {
      COFFER_ASSIGN_OR_RETURN(std::vector<PublicKey> parsed, KeysFromPem(pem));
      keys.insert(keys.end(), parsed.begin(), parsed.end());
    }
    return AnyKeyVerifies(jws, alg, keys);
  }
  auto kid_it = jws.header.find("kid");
  const std::string kid =
      kid_it != jws.header.end() && kid_it->is_string() ? kid_it->get<std::string>() : "";
  COFFER_ASSIGN_OR_RETURN(std::vector<KeyWithId> keys, state.keys.Keys(config, false));
  std::vector<PublicKey> candidates = RemoteCandidates(keys, kid);
  if (candidates.empty()) {
    // The provider may have rotated keys: refetch once.
    COFFER_ASSIGN_OR_RETURN(keys, state.keys.Keys(config, true));
    candidates = RemoteCandidates(keys, kid);
  }
  if (candidates.empty()) {
    return Status::InvalidArgument("signature verification failed: no key with kid \"" + kid +
                                   "\"");
  }
  return AnyKeyVerifies(jws, alg, candidates);
}

Result<Response> HandleLogin(const StatePtr& state, const EngineRequest& request,
                             const FieldData& fields) {
  COFFER_ASSIGN_OR_RETURN(std::optional<JwtConfig> config, ReadConfig(*request.storage));
  if (!config) {
    return Status::InvalidArgument("could not load configuration");
  }
  std::string role_name = fields.GetString("role");
  if (role_name.empty()) {
    role_name = config->default_role;
  }
  if (role_name.empty()) {
    return Status::InvalidArgument("missing role");
  }
  COFFER_ASSIGN_OR_RETURN(std::optional<JwtRole> role, ReadRole(*request.storage, role_name));
  if (!role) {
    return Status::InvalidArgument("role \"" + role_name + "\" could not be found");
  }
  if (role->role_type != "jwt") {
    return Status::InvalidArgument("role with oidc role_type is not allowed");
  }
  const std::string token = fields.GetString("jwt");
  if (token.empty()) {
    return Status::InvalidArgument("missing token");
  }
  if (!role->token.bound_cidrs.empty() &&
      (request.remote_address.empty() ||
       !AddressInAny(role->token.bound_cidrs, request.remote_address))) {
    return Status::InvalidArgument("request originated from invalid CIDR");
  }

  COFFER_ASSIGN_OR_RETURN(CompactJws jws, ParseCompactJws(token));
  COFFER_RETURN_IF_ERROR(VerifySignature(*state, *config, jws));
  const int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                          request.clock->Now().time_since_epoch())
                          .count();
  COFFER_RETURN_IF_ERROR(ValidateClaims(*config, *role, jws.payload, now));
  COFFER_ASSIGN_OR_RETURN(std::string user, UserName(*role, jws.payload));
  COFFER_ASSIGN_OR_RETURN(auto metadata, MappedMetadata(*role, jws.payload));
  metadata["role"] = role_name;

  core::LoginGrant grant;
  grant.display_name = user;
  grant.metadata = std::move(metadata);
  grant.token = role->token;
  grant.renewable = true;
  Response response;
  response.login = std::move(grant);
  return response;
}

}  // namespace

PathSpec LoginPath(StatePtr state) {
  PathSpec spec;
  spec.pattern = "login";
  spec.fields = {
      {"role", {FieldType::kString, {}, false, "The role to log in against (else default_role)."}},
      {"jwt", {FieldType::kString, {}, false, "The signed JWT to validate."}},
  };
  spec.operations = {{Operation::kUpdate, [state](const EngineRequest& r, const FieldData& f) {
                        return HandleLogin(state, r, f);
                      }}};
  spec.login = true;
  spec.login_alias_field = "role";
  spec.help_synopsis = "Authenticates to Vault using a JWT (or OIDC) token.";
  spec.help_description =
      "Authenticates JWTs: the signature against the configured keys, the claims against the "
      "role's bindings.";
  return spec;
}

}  // namespace coffer::auth::jwt
