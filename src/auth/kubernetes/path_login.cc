// login (Vault's path_login.go): {role, jwt}. The JWT's unverified claims
// allow an early refusal; the API server's TokenReview decides; the
// reviewed service account must match the role's bindings (and the claims),
// and the review's audiences the role's audience.
#include <algorithm>
#include <optional>
#include <string>
#include <utility>

#include "auth/kubernetes/config_entry.h"
#include "auth/kubernetes/jwt_claims.h"
#include "auth/kubernetes/paths.h"
#include "auth/kubernetes/role_entry.h"
#include "base/cidr.h"
#include "crypto/secure_buffer.h"

namespace coffer::auth::kubernetes {

namespace {

using core::EngineRequest;
using core::Operation;
using core::Response;
using core::framework::FieldData;
using core::framework::FieldType;
using core::framework::PathSpec;

// SecretString wipes its copy of a JWT when the login is done.
class SecretString {
 public:
  explicit SecretString(std::string value) : value_(std::move(value)) {}
  ~SecretString() { crypto::Wipe(value_.data(), value_.size()); }
  SecretString(const SecretString&) = delete;
  SecretString& operator=(const SecretString&) = delete;
  const std::string& get() const { return value_; }

 private:
  std::string value_;
};

Status CheckBindings(const RoleEntry& role, const std::string& name,
                     const std::string& namespace_name) {
  if (!BindingAllows(role.bound_service_account_names, name)) {
    return Status::PermissionDenied("service account name not authorized");
  }
  if (!BindingAllows(role.bound_service_account_namespaces, namespace_name)) {
    return Status::PermissionDenied("namespace not authorized");
  }
  return Status::Ok();
}

// CheckClaimsMatch refuses a review naming another account than the JWT's
// own claims (Vault's "JWT names did not match").
Status CheckClaimsMatch(const ServiceAccountClaims& claims, const ReviewedServiceAccount& sa) {
  if (claims.name && *claims.name != sa.name) {
    return Status::PermissionDenied("JWT names did not match");
  }
  if (claims.namespace_name && *claims.namespace_name != sa.namespace_name) {
    return Status::PermissionDenied("JWT namespaces did not match");
  }
  if (claims.uid && !sa.uid.empty() && *claims.uid != sa.uid) {
    return Status::PermissionDenied("JWT UIDs did not match");
  }
  return Status::Ok();
}

Result<Response> HandleLogin(const LoginDeps& deps, const EngineRequest& request,
                             const FieldData& fields) {
  const std::string role_name = fields.GetString("role");
  if (role_name.empty()) {
    return Status::InvalidArgument("missing role");
  }
  SecretString jwt(fields.GetString("jwt"));
  if (jwt.get().empty()) {
    return Status::InvalidArgument("missing jwt");
  }

  COFFER_ASSIGN_OR_RETURN(std::optional<RoleEntry> found, ReadRole(*request.storage, role_name));
  if (!found) {
    return Status::InvalidArgument("invalid role name \"" + role_name + "\"");
  }
  const RoleEntry& role = *found;
  // As in Vault, the login itself must come from a bound CIDR.
  if (!role.token.bound_cidrs.empty() &&
      (request.remote_address.empty() ||
       !AddressInAny(role.token.bound_cidrs, request.remote_address))) {
    return Status::PermissionDenied("permission denied");
  }
  COFFER_ASSIGN_OR_RETURN(std::optional<ConfigEntry> config, ReadConfig(*request.storage));
  if (!config) {
    return Status::FailedPrecondition("could not load backend configuration");
  }

  // Early refusal on what the token claims; the review has the last word.
  COFFER_ASSIGN_OR_RETURN(ServiceAccountClaims claims, ParseUnverifiedClaims(jwt.get()));
  if (claims.name && claims.namespace_name) {
    COFFER_RETURN_IF_ERROR(CheckBindings(role, *claims.name, *claims.namespace_name));
  }

  TokenReviewRequest review;
  review.host = config->kubernetes_host;
  review.ca_cert_pem = config->kubernetes_ca_cert;
  review.reviewer_jwt = config->token_reviewer_jwt;
  if (!config->disable_local_ca_jwt &&
      (review.ca_cert_pem.empty() || review.reviewer_jwt.empty())) {
    LocalServiceAccount local = ReadLocalServiceAccount(deps.local_service_account_dir);
    if (review.ca_cert_pem.empty()) {
      review.ca_cert_pem = std::move(local.ca_cert);
    }
    if (review.reviewer_jwt.empty()) {
      review.reviewer_jwt = std::move(local.token);
    }
    crypto::Wipe(local.token.data(), local.token.size());
  }
  // Without a reviewer JWT the client's own JWT reviews itself, as in Vault.
  if (review.reviewer_jwt.empty()) {
    review.reviewer_jwt = jwt.get();
  }
  review.jwt = jwt.get();
  if (!role.audience.empty()) {
    review.audiences = {role.audience};
  }
  Result<ReviewedServiceAccount> reviewed = deps.reviewer->Review(review);
  crypto::Wipe(review.reviewer_jwt.data(), review.reviewer_jwt.size());
  crypto::Wipe(review.jwt.data(), review.jwt.size());
  if (!reviewed.ok()) {
    return reviewed.status();
  }
  const ReviewedServiceAccount& sa = *reviewed;
  COFFER_RETURN_IF_ERROR(CheckClaimsMatch(claims, sa));
  COFFER_RETURN_IF_ERROR(CheckBindings(role, sa.name, sa.namespace_name));
  if (!role.audience.empty() &&
      std::find(sa.audiences.begin(), sa.audiences.end(), role.audience) == sa.audiences.end()) {
    return Status::PermissionDenied("invalid audience");
  }

  core::LoginGrant grant;
  grant.display_name = sa.namespace_name + "-" + sa.name;
  grant.metadata = {
      {"service_account_name", sa.name},
      {"service_account_namespace", sa.namespace_name},
      {"service_account_uid", sa.uid},
      {"service_account_secret_name", ""},
      {"role", role_name},
  };
  grant.token = role.token;
  grant.renewable = true;
  Response response;
  response.login = std::move(grant);
  return response;
}

}  // namespace

PathSpec LoginPath(LoginDeps deps) {
  PathSpec spec;
  spec.pattern = "login";
  spec.fields = {
      {"role", {FieldType::kString, {}, false, "Name of the role to log in against."}},
      {"jwt", {FieldType::kString, {}, false, "The service account JWT."}},
  };
  spec.operations = {
      {Operation::kUpdate, [deps = std::move(deps)](const EngineRequest& r, const FieldData& f) {
         return HandleLogin(deps, r, f);
       }}};
  spec.login = true;
  spec.login_alias_field = "role";
  spec.help_synopsis = "Authenticates Kubernetes service accounts with Vault.";
  spec.help_description =
      "Authenticate a Kubernetes service account JWT against a role; the JWT is checked with "
      "the Kubernetes TokenReview API.";
  return spec;
}

}  // namespace coffer::auth::kubernetes
