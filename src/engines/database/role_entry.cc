#include "engines/database/role_entry.h"

#include "core/framework/time_format.h"

namespace coffer::engines::database {

using nlohmann::json;

namespace {

std::vector<std::string> StringsOf(const json& stored, const char* key) {
  std::vector<std::string> out;
  auto it = stored.find(key);
  if (it != stored.end() && it->is_array()) {
    for (const json& item : *it) {
      if (item.is_string()) {
        out.push_back(item.get<std::string>());
      }
    }
  }
  return out;
}

std::string StringOf(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

int64_t IntOf(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_number_integer() ? it->get<int64_t>() : 0;
}

std::string CredentialTypeOf(const json& j) {
  std::string type = StringOf(j, "credential_type");
  return type.empty() ? std::string(kCredentialTypePassword) : type;
}

}  // namespace

json RoleEntry::ToStored() const {
  return json{{"db_name", db_name},
              {"creation_statements", creation_statements},
              {"revocation_statements", revocation_statements},
              {"rollback_statements", rollback_statements},
              {"renew_statements", renew_statements},
              {"default_ttl", default_ttl},
              {"max_ttl", max_ttl},
              {"credential_type", credential_type}};
}

Result<RoleEntry> RoleEntry::FromStored(const json& stored) {
  if (!stored.is_object()) {
    return Status::Corruption("stored database role is not an object");
  }
  RoleEntry role;
  role.db_name = StringOf(stored, "db_name");
  role.creation_statements = StringsOf(stored, "creation_statements");
  role.revocation_statements = StringsOf(stored, "revocation_statements");
  role.rollback_statements = StringsOf(stored, "rollback_statements");
  role.renew_statements = StringsOf(stored, "renew_statements");
  role.default_ttl = IntOf(stored, "default_ttl");
  role.max_ttl = IntOf(stored, "max_ttl");
  role.credential_type = CredentialTypeOf(stored);
  return role;
}

json RoleEntry::ToResponse() const {
  // Same as the stored form; kept apart so the two can diverge.
  return ToStored();
}

json StaticRoleEntry::ToStored() const {
  return json{{"db_name", db_name},
              {"username", username},
              {"password", password},
              {"rotation_period", rotation_period},
              {"rotation_statements", rotation_statements},
              {"last_vault_rotation", last_vault_rotation},
              {"credential_type", credential_type}};
}

Result<StaticRoleEntry> StaticRoleEntry::FromStored(const json& stored) {
  if (!stored.is_object()) {
    return Status::Corruption("stored database static role is not an object");
  }
  StaticRoleEntry role;
  role.db_name = StringOf(stored, "db_name");
  role.username = StringOf(stored, "username");
  role.password = StringOf(stored, "password");
  role.rotation_period = IntOf(stored, "rotation_period");
  role.rotation_statements = StringsOf(stored, "rotation_statements");
  role.last_vault_rotation = IntOf(stored, "last_vault_rotation");
  role.credential_type = CredentialTypeOf(stored);
  return role;
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
