#include "auth/kubernetes/role_entry.h"

#include <algorithm>
#include <exception>

#include "base/glob.h"
#include "core/framework/json_util.h"
#include "core/framework/token_fields.h"

namespace coffer::auth::kubernetes {

namespace {

using nlohmann::json;

bool MixesStarWithValues(const std::vector<std::string>& values) {
  return values.size() > 1 && std::find(values.begin(), values.end(), "*") != values.end();
}

}  // namespace

Status RoleEntry::Validate() const {
  if (bound_service_account_names.empty()) {
    return Status::InvalidArgument("\"bound_service_account_names\" can not be empty");
  }
  if (bound_service_account_namespaces.empty()) {
    return Status::InvalidArgument("\"bound_service_account_namespaces\" can not be empty");
  }
  if (MixesStarWithValues(bound_service_account_names)) {
    return Status::InvalidArgument(
        "can not mix \"*\" with values in \"bound_service_account_names\"");
  }
  if (MixesStarWithValues(bound_service_account_namespaces)) {
    return Status::InvalidArgument(
        "can not mix \"*\" with values in \"bound_service_account_namespaces\"");
  }
  if (alias_name_source != kAliasSourceUid && alias_name_source != kAliasSourceName) {
    return Status::InvalidArgument("invalid alias_name_source \"" + alias_name_source +
                                   "\": must be serviceaccount_uid or serviceaccount_name");
  }
  return Status::Ok();
}

json RoleEntry::ToStored() const {
  return {{"bound_service_account_names", bound_service_account_names},
          {"bound_service_account_namespaces", bound_service_account_namespaces},
          {"audience", audience},
          {"alias_name_source", alias_name_source},
          {"token", token.ToStored()}};
}

Result<RoleEntry> RoleEntry::FromStored(const json& stored) {
  if (!stored.is_object()) {
    return Status::Corruption("kubernetes role is not an object");
  }
  try {
    RoleEntry role;
    role.bound_service_account_names =
        stored.at("bound_service_account_names").get<std::vector<std::string>>();
    role.bound_service_account_namespaces =
        stored.at("bound_service_account_namespaces").get<std::vector<std::string>>();
    role.audience = stored.value("audience", "");
    role.alias_name_source = stored.value("alias_name_source", std::string(kAliasSourceUid));
    role.token = core::TokenParams::FromStored(stored.value("token", json::object()));
    return role;
  } catch (const std::exception& e) {
    return Status::Corruption(std::string("kubernetes role is malformed: ") + e.what());
  }
}

json RoleEntry::ToResponseData() const {
  json data = core::framework::TokenFieldsJson(token);
  data["bound_service_account_names"] = bound_service_account_names;
  data["bound_service_account_namespaces"] = bound_service_account_namespaces;
  data["alias_name_source"] = alias_name_source;
  // Vault shows the audience only when one is set.
  if (!audience.empty()) {
    data["audience"] = audience;
  }
  return data;
}

bool GlobMatches(std::string_view pattern, std::string_view value) {
  return pattern == "*" || GlobbedStringsMatch(pattern, value);
}

bool BindingAllows(const std::vector<std::string>& bound, std::string_view value) {
  return std::any_of(bound.begin(), bound.end(),
                     [value](const std::string& pattern) { return GlobMatches(pattern, value); });
}

std::string RoleKey(std::string_view name) {
  return std::string(kRoleFolder) + std::string(name);
}

Result<std::optional<RoleEntry>> ReadRole(storage::Backend& storage, std::string_view name) {
  COFFER_ASSIGN_OR_RETURN(
      std::optional<json> stored,
      core::framework::ReadStoredJson(storage, RoleKey(name), "kubernetes role"));
  if (!stored) {
    return std::optional<RoleEntry>();
  }
  COFFER_ASSIGN_OR_RETURN(RoleEntry role, RoleEntry::FromStored(*stored));
  return std::optional<RoleEntry>(std::move(role));
}

Status WriteRole(storage::Backend& storage, std::string_view name, const RoleEntry& role) {
  COFFER_ASSIGN_OR_RETURN(std::string encoded, core::framework::EncodeJson(role.ToStored()));
  return storage.Put(RoleKey(name), encoded);
}

}  // namespace coffer::auth::kubernetes
