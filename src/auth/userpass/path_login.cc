#include <optional>
#include <string>

#include "auth/userpass/password_hash.h"
#include "auth/userpass/paths.h"
#include "auth/userpass/user_entry.h"
#include "base/cidr.h"
#include "core/framework/path_pattern.h"
#include "crypto/secure_buffer.h"

namespace coffer::auth::userpass {

namespace {

using core::EngineRequest;
using core::Operation;
using core::Response;
using core::framework::FieldData;
using core::framework::FieldType;
using core::framework::PathSpec;

// One answer for an unknown user and a wrong password, so a client cannot
// tell which users exist.
Status InvalidCredentials() {
  return Status::InvalidArgument("invalid username or password");
}

Result<Response> HandleLogin(const EngineRequest& request, const FieldData& fields) {
  const std::string username = NormalizeUsername(fields.GetString("username"));
  std::string password = fields.GetString("password");
  if (password.empty()) {
    return Status::InvalidArgument("missing password");
  }

  Result<std::optional<UserEntry>> user = ReadUser(*request.storage, username);
  const bool found = user.ok() && user->has_value();
  // An unknown user (or one that failed to load) is checked against a dummy
  // hash with the same parameters, so both failures cost one scrypt
  // derivation and take the same time.
  Result<bool> match =
      VerifyPassword(password, found ? (*user)->password_hash : DummyPasswordHash());
  crypto::Wipe(password.data(), password.size());
  if (!user.ok()) {
    return user.status();
  }
  if (!found) {
    return InvalidCredentials();
  }
  if (!match.ok()) {
    return match.status();  // a damaged stored hash: a server error
  }
  if (!*match) {
    return InvalidCredentials();
  }

  const UserEntry& entry = **user;
  // Vault's userpass also refuses the login itself from outside the bound
  // CIDRs (the core checks the issued token's use separately). Without a
  // known address a bound user cannot log in.
  if (!entry.token.bound_cidrs.empty() &&
      (request.remote_address.empty() ||
       !AddressInAny(entry.token.bound_cidrs, request.remote_address))) {
    return Status::PermissionDenied("login from a disallowed address");
  }

  core::LoginGrant grant;
  grant.display_name = username;
  grant.metadata = {{"username", username}};
  grant.token = entry.token;
  grant.renewable = true;
  Response response;
  response.login = std::move(grant);
  return response;
}

}  // namespace

PathSpec LoginPath() {
  PathSpec spec;
  spec.pattern = "login/" + core::framework::GenericName("username");
  spec.fields = {
      {"username", {FieldType::kString, {}, false, "Username of the user."}},
      {"password", {FieldType::kString, {}, false, "Password for this user."}},
  };
  spec.operations = {{Operation::kUpdate, HandleLogin}};
  spec.login = true;
  spec.login_alias_field = "username";
  spec.help_synopsis = "Log in with a username and password.";
  spec.help_description = "This endpoint authenticates using a username and password.";
  return spec;
}

}  // namespace coffer::auth::userpass
