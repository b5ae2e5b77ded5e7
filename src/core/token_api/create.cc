// auth/token/create, create-orphan and create/<role>.
#include <algorithm>
#include <set>

#include "core/core.h"
#include "core/policy/capabilities.h"
#include "core/token_api/roles.h"
#include "core/token_api/token_paths.h"

namespace coffer::core::token_api {

namespace {

using framework::FieldData;
using framework::FieldType;
using nlohmann::json;

bool Contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

std::vector<std::string> CleanPolicies(const std::vector<std::string>& in) {
  std::set<std::string> seen;
  std::vector<std::string> out;
  for (std::string p : in) {
    p.erase(0, p.find_first_not_of(" \t"));
    p.erase(p.find_last_not_of(" \t") + 1);
    std::transform(p.begin(), p.end(), p.begin(), [](unsigned char c) { return std::tolower(c); });
    if (!p.empty() && seen.insert(p).second) {
      out.push_back(p);
    }
  }
  return out;
}

Result<Response> CreateToken(Core& core, const EngineRequest& req, const FieldData& d,
                             bool orphan_path, const std::string& role_name) {
  COFFER_ASSIGN_OR_RETURN(TokenEntry caller, Caller(core, req));
  COFFER_ASSIGN_OR_RETURN(auto acl, core.policies().AclFor(caller.policies));
  const bool privileged =
      caller.IsRoot() || (acl->Capabilities("auth/token/create") & policy::kSudo) != 0;

  std::optional<TokenRole> role;
  if (!role_name.empty()) {
    auto loaded = LoadRole(core.barrier(), role_name);
    if (!loaded.ok()) {
      return loaded.status().IsNotFound() ? Status::InvalidArgument("unknown role " + role_name)
                                          : loaded.status();
    }
    role = std::move(loaded).value();
  }

  TokenCreateRequest create;
  create.id = d.GetString("id");
  if (!create.id.empty() && !privileged) {
    return Status::InvalidArgument("root or sudo privileges required to specify token id");
  }
  const bool orphan = orphan_path || (role && role->orphan) || (d.GetBool("no_parent") && privileged);
  if (d.GetBool("no_parent") && !privileged && !orphan_path) {
    return Status::InvalidArgument("root or sudo privileges required to create orphan token");
  }
  create.parent_key = orphan ? "" : caller.id_key;

  std::vector<std::string> policies = CleanPolicies(d.GetStrings("policies"));
  const bool explicit_policies = !policies.empty();
  if (role) {
    if (!explicit_policies) {
      policies = role->allowed_policies.empty() ? caller.policies : role->allowed_policies;
    }
    for (const auto& p : policies) {
      if (!role->allowed_policies.empty() && p != "default" && !Contains(role->allowed_policies, p)) {
        return Status::InvalidArgument("token policies (" + p + ") must be subset of the role's allowed policies");
      }
      if (Contains(role->disallowed_policies, p)) {
        return Status::InvalidArgument("token policy (" + p + ") is disallowed by this role");
      }
    }
  } else if (!explicit_policies) {
    policies = caller.policies;
  }
  if (!caller.IsRoot() && !(role && explicit_policies)) {
    for (const auto& p : policies) {
      if (p != "default" && !Contains(caller.policies, p)) {
        return Status::InvalidArgument("child policies must be subset of parent");
      }
    }
  }
  if (Contains(policies, "root") && !caller.IsRoot()) {
    return Status::InvalidArgument("root tokens may not be created by a non-root token");
  }
  if (!d.GetBool("no_default_policy") && !Contains(policies, "root") && !Contains(policies, "default")) {
    policies.push_back("default");
  }
  if (d.GetBool("no_default_policy")) {
    std::erase(policies, "default");
  }
  std::sort(policies.begin(), policies.end());
  create.policies = policies;

  auto token_mount = core.MountFor("auth/token");
  const int64_t default_ttl = token_mount.ok() ? core.DefaultLeaseTtl(*token_mount)
                                               : core.options().default_lease_ttl;
  const int64_t max_ttl =
      token_mount.ok() ? core.MaxLeaseTtl(*token_mount) : core.options().max_lease_ttl;

  int64_t ttl = d.Provided("ttl") ? d.GetDuration("ttl") : d.GetDuration("lease");
  create.explicit_max_ttl = d.GetDuration("explicit_max_ttl");
  create.period = d.GetDuration("period");
  if (role) {
    create.period = create.period > 0 ? create.period : role->period;
    if (role->explicit_max_ttl > 0 &&
        (create.explicit_max_ttl == 0 || create.explicit_max_ttl > role->explicit_max_ttl)) {
      create.explicit_max_ttl = role->explicit_max_ttl;
    }
    if (ttl == 0) {
      ttl = role->token_ttl;
    }
  }
  if (create.period > 0) {
    ttl = create.period;
  } else if (ttl == 0 && !(Contains(policies, "root"))) {
    ttl = default_ttl;
  }
  if (create.period == 0 && ttl > max_ttl && max_ttl > 0) {
    ttl = max_ttl;
  }
  if (create.explicit_max_ttl > 0 && (ttl == 0 || ttl > create.explicit_max_ttl)) {
    ttl = create.explicit_max_ttl;
  }
  create.ttl = ttl;

  const int64_t num_uses = d.GetInt("num_uses");
  if (num_uses < 0) {
    return Status::InvalidArgument("number of uses cannot be negative");
  }
  create.num_uses = num_uses;
  create.renewable = d.Provided("renewable") ? d.GetBool("renewable") : (!role || role->renewable);
  const std::string display = d.GetString("display_name");
  create.display_name = display.empty() ? "token" : "token-" + display;
  const json meta = d.Get("meta");
  if (meta.is_object()) {
    for (auto it = meta.begin(); it != meta.end(); ++it) {
      if (!it->is_string()) {
        return Status::InvalidArgument("metadata values must be strings");
      }
      create.meta[it.key()] = it->get<std::string>();
    }
  }
  create.role = role_name;
  create.path = role ? "auth/token/create/" + role_name : (orphan_path ? "auth/token/create-orphan"
                                                                       : "auth/token/create");
  create.entity_id = d.GetString("entity_alias").empty() ? caller.entity_id : "";

  COFFER_ASSIGN_OR_RETURN(TokenStore::Created created, core.tokens().Create(create));
  Response response;
  response.auth = AuthBlock(created.token, created.entry);
  return response;
}

framework::Fields CreateFields() {
  return {{"id", {FieldType::kString, json(""), false, "Token id (root/sudo only)."}},
          {"policies", {FieldType::kCommaStringSlice, json::array(), false, "Policies."}},
          {"meta", {FieldType::kKeyValuePairs, json::object(), false, "Metadata."}},
          {"no_parent", {FieldType::kBool, json(false), false, "Create an orphan."}},
          {"no_default_policy", {FieldType::kBool, json(false), false, "Omit default."}},
          {"renewable", {FieldType::kBool, json(true), false, "Renewable."}},
          {"lease", {FieldType::kDuration, json(0), false, "Deprecated: ttl."}},
          {"ttl", {FieldType::kDuration, json(0), false, "Time to live."}},
          {"type", {FieldType::kString, json("service"), false, "service (batch later)."}},
          {"explicit_max_ttl", {FieldType::kDuration, json(0), false, "Hard cap."}},
          {"display_name", {FieldType::kString, json(""), false, "Display name."}},
          {"num_uses", {FieldType::kInt, json(0), false, "Uses; 0 = unlimited."}},
          {"period", {FieldType::kDuration, json(0), false, "Periodic TTL."}},
          {"entity_alias", {FieldType::kString, json(""), false, "Entity alias."}}};
}

}  // namespace

std::vector<framework::PathSpec> CreatePaths(Core& core) {
  framework::PathSpec create;
  create.pattern = "create";
  create.fields = CreateFields();
  create.operations[Operation::kUpdate] = [&core](const EngineRequest& r,
                                                  const FieldData& d) -> Result<Response> {
    if (d.GetString("type") != "service" && !d.GetString("type").empty()) {
      return Status::InvalidArgument("only service tokens are supported");
    }
    return CreateToken(core, r, d, false, "");
  };
  framework::PathSpec orphan;
  orphan.pattern = "create-orphan";
  orphan.fields = CreateFields();
  orphan.operations[Operation::kUpdate] = [&core](const EngineRequest& r,
                                                  const FieldData& d) -> Result<Response> {
    return CreateToken(core, r, d, true, "");
  };
  framework::PathSpec with_role;
  with_role.pattern = "create/(?P<role_name>[^/]+)";
  with_role.fields = CreateFields();
  with_role.fields["role_name"] = {FieldType::kString, json(), true, "The role."};
  with_role.operations[Operation::kUpdate] = [&core](const EngineRequest& r,
                                                     const FieldData& d) -> Result<Response> {
    return CreateToken(core, r, d, false, d.GetString("role_name"));
  };
  return {create, orphan, with_role};
}

}  // namespace coffer::core::token_api
