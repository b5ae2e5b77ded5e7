// role/<name> (create, update, read, delete) and LIST role (Vault's
// path_role.go). An update changes only the fields the request gives.
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <vector>

#include "auth/kubernetes/paths.h"
#include "auth/kubernetes/role_entry.h"
#include "core/framework/json_util.h"
#include "core/framework/path_pattern.h"
#include "core/framework/response_util.h"
#include "core/framework/token_fields.h"

namespace coffer::auth::kubernetes {

namespace {

using core::EngineRequest;
using core::Operation;
using core::Response;
using core::framework::FieldData;
using core::framework::FieldType;
using core::framework::KeyLocks;
using core::framework::PathSpec;

constexpr const char* kRoleHelpSynopsis = "Register a role with the backend.";
constexpr const char* kRoleHelpDescription = R"(
A role binds Kubernetes service accounts (by name and namespace) to the
token settings a login with them gets.
)";

// CleanList drops empty entries, as Vault's comma-string slices do.
std::vector<std::string> CleanList(std::vector<std::string> values) {
  std::vector<std::string> out;
  for (std::string& value : values) {
    if (!value.empty()) {
      out.push_back(std::move(value));
    }
  }
  return out;
}

Result<Response> HandleList(const EngineRequest& request, const FieldData&) {
  COFFER_ASSIGN_OR_RETURN(std::vector<std::string> keys, request.storage->List(kRoleFolder));
  return core::framework::ListResponse(std::move(keys));
}

Result<bool> RoleExists(const EngineRequest& request, const FieldData& fields) {
  return core::framework::StoredKeyExists(*request.storage, RoleKey(fields.GetString("name")));
}

Result<Response> HandleRead(const EngineRequest& request, const FieldData& fields) {
  COFFER_ASSIGN_OR_RETURN(std::optional<RoleEntry> role,
                          ReadRole(*request.storage, fields.GetString("name")));
  if (!role) {
    return core::framework::NotFoundNoMessage();
  }
  return Response::Data(role->ToResponseData());
}

Result<Response> HandleWrite(KeyLocks& locks, const EngineRequest& request,
                             const FieldData& fields) {
  const std::string name = fields.GetString("name");
  if (name.empty()) {
    return Status::InvalidArgument("missing role name");
  }
  std::unique_lock lock(locks.For(name));
  COFFER_ASSIGN_OR_RETURN(std::optional<RoleEntry> existing, ReadRole(*request.storage, name));
  RoleEntry role = existing ? std::move(*existing) : RoleEntry{};
  COFFER_RETURN_IF_ERROR(core::framework::ApplyTokenFields(fields, &role.token));
  if (fields.Provided("bound_service_account_names")) {
    role.bound_service_account_names = CleanList(fields.GetStrings("bound_service_account_names"));
  }
  if (fields.Provided("bound_service_account_namespaces")) {
    role.bound_service_account_namespaces =
        CleanList(fields.GetStrings("bound_service_account_namespaces"));
  }
  if (fields.Provided("audience")) {
    role.audience = fields.GetString("audience");
  }
  if (fields.Provided("alias_name_source")) {
    role.alias_name_source = fields.GetString("alias_name_source");
  }
  COFFER_RETURN_IF_ERROR(role.Validate());
  COFFER_RETURN_IF_ERROR(WriteRole(*request.storage, name, role));
  return Response::NoContent();
}

Result<Response> HandleDelete(KeyLocks& locks, const EngineRequest& request,
                              const FieldData& fields) {
  const std::string name = fields.GetString("name");
  std::unique_lock lock(locks.For(name));
  COFFER_RETURN_IF_ERROR(request.storage->Delete(RoleKey(name)));
  return Response::NoContent();
}

}  // namespace

PathSpec RoleListPath() {
  PathSpec spec;
  spec.pattern = "role" + std::string(core::framework::kOptionalTrailingSlash);
  spec.operations = {{Operation::kList, HandleList}};
  spec.help_synopsis = "Lists all the roles registered with the backend.";
  spec.help_description = "The list will contain the names of the roles.";
  return spec;
}

PathSpec RolePath(KeyLocks& locks) {
  PathSpec spec;
  spec.pattern = "role/" + core::framework::GenericName("name");
  spec.fields = {
      {"name", {FieldType::kString, {}, false, "Name of the role."}},
      {"bound_service_account_names",
       {FieldType::kCommaStringSlice, {}, false,
        "Service account names able to log in; \"*\" allows all, globs allowed."}},
      {"bound_service_account_namespaces",
       {FieldType::kCommaStringSlice, {}, false,
        "Namespaces allowed to log in; \"*\" allows all, globs allowed."}},
      {"audience",
       {FieldType::kString, {}, false,
        "Audience the service account JWT must be valid for (checked by the TokenReview)."}},
      {"alias_name_source",
       {FieldType::kString, std::string(kAliasSourceUid), false,
        "Source of the alias name: serviceaccount_uid or serviceaccount_name."}},
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
  spec.exists = RoleExists;
  spec.help_synopsis = kRoleHelpSynopsis;
  spec.help_description = kRoleHelpDescription;
  return spec;
}

}  // namespace coffer::auth::kubernetes
