#include "auth/approle/role_entry.h"

#include "auth/approle/stored_reader.h"
#include "core/framework/token_fields.h"

namespace coffer::auth::approle {

using nlohmann::json;

json RoleEntry::ToStored() const {
  return {{"name", name},
          {"role_id", role_id},
          {"bind_secret_id", bind_secret_id},
          {"secret_id_bound_cidrs", secret_id_bound_cidrs},
          {"secret_id_num_uses", secret_id_num_uses},
          {"secret_id_ttl", secret_id_ttl},
          {"local_secret_ids", local_secret_ids},
          {"token", token.ToStored()}};
}

Result<RoleEntry> RoleEntry::FromStored(const json& stored) {
  StoredReader r(stored, "approle role");
  RoleEntry role;
  role.name = r.String("name");
  role.role_id = r.String("role_id");
  role.bind_secret_id = r.Bool("bind_secret_id", true);
  role.secret_id_bound_cidrs = r.Strings("secret_id_bound_cidrs");
  role.secret_id_num_uses = r.Int("secret_id_num_uses");
  role.secret_id_ttl = r.Int("secret_id_ttl");
  role.local_secret_ids = r.Bool("local_secret_ids");
  json token = r.Raw("token");
  COFFER_RETURN_IF_ERROR(r.status());
  if (!token.is_object() || role.name.empty() || role.role_id.empty()) {
    return Status::Corruption("approle role \"" + role.name + "\" is incomplete");
  }
  role.token = core::TokenParams::FromStored(token);
  return role;
}

json RoleEntry::ToResponseData() const {
  json data = core::framework::TokenFieldsJson(token);
  data["bind_secret_id"] = bind_secret_id;
  data["secret_id_bound_cidrs"] = secret_id_bound_cidrs;
  data["secret_id_num_uses"] = secret_id_num_uses;
  data["secret_id_ttl"] = secret_id_ttl;
  data["local_secret_ids"] = local_secret_ids;
  return data;
}

}  // namespace coffer::auth::approle
