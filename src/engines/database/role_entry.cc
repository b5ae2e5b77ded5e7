#include "engines/database/role_entry.h"

#include "core/framework/time_format.h"
#include "engines/database/stored_fields.h"

namespace coffer::engines::database {

using nlohmann::json;

namespace {

// The stored fields of each kind of role (the static role's password
// included).
constexpr auto kRoleFields = [](auto& role, auto&& visit) {
  visit("db_name", role.db_name);
  visit("creation_statements", role.creation_statements);
  visit("revocation_statements", role.revocation_statements);
  visit("rollback_statements", role.rollback_statements);
  visit("renew_statements", role.renew_statements);
  visit("default_ttl", role.default_ttl);
  visit("max_ttl", role.max_ttl);
  visit("credential_type", role.credential_type);
};

constexpr auto kStaticRoleFields = [](auto& role, auto&& visit) {
  visit("db_name", role.db_name);
  visit("username", role.username);
  visit("password", role.password);
  visit("rotation_period", role.rotation_period);
  visit("rotation_statements", role.rotation_statements);
  visit("last_vault_rotation", role.last_vault_rotation);
  visit("credential_type", role.credential_type);
};

// LoadRole is LoadFields, with an empty credential_type read as the
// default (entries written before the field existed).
template <typename Role, typename Fields>
Result<Role> LoadRole(const json& stored, std::string_view what, Fields fields) {
  COFFER_ASSIGN_OR_RETURN(Role role, LoadFields<Role>(stored, what, fields));
  if (role.credential_type.empty()) {
    role.credential_type = kCredentialTypePassword;
  }
  return role;
}

}  // namespace

json RoleEntry::ToStored() const { return StoreFields(*this, kRoleFields); }

Result<RoleEntry> RoleEntry::FromStored(const json& stored) {
  return LoadRole<RoleEntry>(stored, "database role", kRoleFields);
}

json RoleEntry::ToResponse() const {
  // Same as the stored form; kept apart so the two can diverge.
  return ToStored();
}

json StaticRoleEntry::ToStored() const { return StoreFields(*this, kStaticRoleFields); }

Result<StaticRoleEntry> StaticRoleEntry::FromStored(const json& stored) {
  return LoadRole<StaticRoleEntry>(stored, "database static role", kStaticRoleFields);
}

json StaticRoleEntry::ToResponse() const {
  json data = {{"db_name", db_name},
               {"username", username},
               {"rotation_period", rotation_period},
               {"rotation_statements", rotation_statements},
               {"credential_type", credential_type}};
  if (last_vault_rotation != 0) {
    data["last_vault_rotation"] = core::framework::FormatRfc3339Nano(last_vault_rotation);
  }
  return data;
}

int64_t StaticRoleEntry::NextRotation() const {
  return last_vault_rotation + rotation_period * 1'000'000'000LL;
}

}  // namespace coffer::engines::database
