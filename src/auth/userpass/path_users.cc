#include <algorithm>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>

#include "auth/userpass/password_hash.h"
#include "auth/userpass/paths.h"
#include "auth/userpass/user_entry.h"
#include "core/framework/json_util.h"
#include "core/framework/path_pattern.h"
#include "core/framework/response_util.h"
#include "core/framework/token_fields.h"
#include "crypto/secure_buffer.h"

namespace coffer::auth::userpass {

namespace {

using core::EngineRequest;
using core::Operation;
using core::Response;
using core::framework::FieldData;
using core::framework::FieldSchema;
using core::framework::FieldType;
using core::framework::Fields;
using core::framework::KeyLocks;
using core::framework::PathSpec;

constexpr const char* kUsersHelpSynopsis = "Manage users allowed to authenticate.";
constexpr const char* kUsersHelpDescription = R"(
This endpoint allows you to create, read, update, and delete users
that are allowed to authenticate.

Deleting a user will not revoke auth for prior authenticated users
with that name.
)";

FieldSchema UsernameField() {
  return {FieldType::kString, {}, false, "Username for this user."};
}

FieldSchema PasswordField() {
  return {FieldType::kString, {}, false, "Password for this user."};
}

std::string Username(const FieldData& fields) {
  return NormalizeUsername(fields.GetString("username"));
}

// HashGivenPassword hashes the request's password, if it gave a non-empty
// one (an empty password means "not given", as in Vault). The copy of the
// password is wiped; the request body itself is the caller's.
Result<std::optional<std::string>> HashGivenPassword(const FieldData& fields) {
  std::string password = fields.GetString("password");
  if (password.empty()) {
    return std::optional<std::string>();
  }
  Result<std::string> hash = HashPassword(password);
  crypto::Wipe(password.data(), password.size());
  if (!hash.ok()) {
    return hash.status();
  }
  return std::optional<std::string>(std::move(hash).value());
}

Result<Response> HandleList(const EngineRequest& request, const FieldData&) {
  COFFER_ASSIGN_OR_RETURN(std::vector<std::string> keys, request.storage->List(kUserFolder));
  return core::framework::ListResponse(std::move(keys));
}

Result<bool> UserExists(const EngineRequest& request, const FieldData& fields) {
  return core::framework::StoredKeyExists(*request.storage, UserKey(Username(fields)));
}

Result<Response> HandleRead(const EngineRequest& request, const FieldData& fields) {
  COFFER_ASSIGN_OR_RETURN(std::optional<UserEntry> user,
                          ReadUser(*request.storage, Username(fields)));
  if (!user) {
    return core::framework::NotFoundNoMessage();
  }
  // Never the password hash: only what tokens get.
  return Response::Data(core::framework::TokenFieldsJson(user->token));
}

Result<Response> HandleWrite(KeyLocks& locks, const EngineRequest& request,
                             const FieldData& fields) {
  const std::string username = Username(fields);
  if (fields.Provided("password_hash")) {
    return Status::InvalidArgument("password_hash (bcrypt) is not supported; set password");
  }
  // Hash before taking the lock: it is slow and needs nothing stored.
  COFFER_ASSIGN_OR_RETURN(std::optional<std::string> hash, HashGivenPassword(fields));

  std::unique_lock lock(locks.For(username));
  COFFER_ASSIGN_OR_RETURN(std::optional<UserEntry> existing,
                          ReadUser(*request.storage, username));
  // Decided by what is stored rather than by the operation, so a create
  // racing another create still cannot leave a user without a password.
  if (!existing && !hash) {
    return Status::InvalidArgument("missing password");
  }
  UserEntry entry = existing ? std::move(*existing) : UserEntry{};
  COFFER_RETURN_IF_ERROR(core::framework::ApplyTokenFields(fields, &entry.token));
  if (hash) {
    entry.password_hash = std::move(*hash);
  }
  COFFER_RETURN_IF_ERROR(WriteUser(*request.storage, username, entry));
  return Response::NoContent();
}

Result<Response> HandleDelete(KeyLocks& locks, const EngineRequest& request,
                              const FieldData& fields) {
  const std::string username = Username(fields);
  std::unique_lock lock(locks.For(username));
  COFFER_RETURN_IF_ERROR(request.storage->Delete(UserKey(username)));
  return Response::NoContent();
}

Result<Response> HandlePasswordUpdate(KeyLocks& locks, const EngineRequest& request,
                                      const FieldData& fields) {
  const std::string username = Username(fields);
  COFFER_ASSIGN_OR_RETURN(std::optional<std::string> hash, HashGivenPassword(fields));
  if (!hash) {
    return Status::InvalidArgument("missing password");
  }
  std::unique_lock lock(locks.For(username));
  COFFER_ASSIGN_OR_RETURN(std::optional<UserEntry> user, ReadUser(*request.storage, username));
  if (!user) {
    return Status::InvalidArgument("username does not exist");
  }
  user->password_hash = std::move(*hash);
  COFFER_RETURN_IF_ERROR(WriteUser(*request.storage, username, *user));
  return Response::NoContent();
}

// PoliciesGiven returns the request's policies (token_policies, else the
// deprecated policies), without empties or duplicates, as ApplyTokenFields
// cleans them; nullopt when neither was given.
std::optional<std::vector<std::string>> PoliciesGiven(const FieldData& fields) {
  const char* name = fields.Provided("token_policies") ? "token_policies"
                     : fields.Provided("policies")     ? "policies"
                                                       : nullptr;
  if (name == nullptr) {
    return std::nullopt;
  }
  std::vector<std::string> policies;
  for (std::string& policy : fields.GetStrings(name)) {
    if (!policy.empty() && std::find(policies.begin(), policies.end(), policy) == policies.end()) {
      policies.push_back(std::move(policy));
    }
  }
  return policies;
}

Result<Response> HandlePoliciesUpdate(KeyLocks& locks, const EngineRequest& request,
                                      const FieldData& fields) {
  const std::string username = Username(fields);
  std::unique_lock lock(locks.For(username));
  COFFER_ASSIGN_OR_RETURN(std::optional<UserEntry> user, ReadUser(*request.storage, username));
  if (!user) {
    return Status::InvalidArgument("username does not exist");
  }
  // As in Vault, a request naming neither field changes nothing.
  if (std::optional<std::vector<std::string>> policies = PoliciesGiven(fields)) {
    user->token.policies = std::move(*policies);
    COFFER_RETURN_IF_ERROR(WriteUser(*request.storage, username, *user));
  }
  return Response::NoContent();
}

}  // namespace

PathSpec UsersListPath() {
  PathSpec spec;
  spec.pattern = "users" + std::string(core::framework::kOptionalTrailingSlash);
  spec.operations = {{Operation::kList, HandleList}};
  spec.help_synopsis = kUsersHelpSynopsis;
  spec.help_description = kUsersHelpDescription;
  return spec;
}

PathSpec UsersPath(KeyLocks& locks) {
  PathSpec spec;
  spec.pattern = "users/" + core::framework::GenericName("username");
  spec.fields = {
      {"username", UsernameField()},
      {"password", PasswordField()},
      {"password_hash",
       {FieldType::kString, {}, false, "Pre-hashed bcrypt password: not supported."}},
  };
  core::framework::AddTokenFields(spec.fields);
  auto write = [&locks](const EngineRequest& r, const FieldData& f) {
    return HandleWrite(locks, r, f);
  };
  spec.operations = {
      {Operation::kRead, HandleRead},
      {Operation::kCreate, write},
      {Operation::kUpdate, write},
      {Operation::kDelete,
       [&locks](const EngineRequest& r, const FieldData& f) { return HandleDelete(locks, r, f); }},
  };
  spec.exists = UserExists;
  spec.help_synopsis = kUsersHelpSynopsis;
  spec.help_description = kUsersHelpDescription;
  return spec;
}

PathSpec UserPasswordPath(KeyLocks& locks) {
  PathSpec spec;
  spec.pattern = "users/" + core::framework::GenericName("username") + "/password";
  spec.fields = {{"username", UsernameField()}, {"password", PasswordField()}};
  spec.operations = {
      {Operation::kUpdate, [&locks](const EngineRequest& r, const FieldData& f) {
         return HandlePasswordUpdate(locks, r, f);
       }}};
  spec.help_synopsis = "Reset user's password.";
  spec.help_description = "This endpoint allows resetting the user's password.";
  return spec;
}

PathSpec UserPoliciesPath(KeyLocks& locks) {
  PathSpec spec;
  spec.pattern = "users/" + core::framework::GenericName("username") + "/policies";
  spec.fields = {
      {"username", UsernameField()},
      {"token_policies",
       {FieldType::kCommaStringSlice, {}, false, "Comma-separated list of policies."}},
      {"policies", {FieldType::kCommaStringSlice, {}, false, "Deprecated: token_policies."}},
  };
  spec.operations = {
      {Operation::kUpdate, [&locks](const EngineRequest& r, const FieldData& f) {
         return HandlePoliciesUpdate(locks, r, f);
       }}};
  spec.help_synopsis = "Update the policies associated with the username.";
  spec.help_description =
      "This endpoint allows updating the policies associated with the username.";
  return spec;
}

}  // namespace coffer::auth::userpass
