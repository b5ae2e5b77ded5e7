// auth/token/roles and auth/token/roles/<name>.
#include "core/token_api/roles.h"

#include "core/core.h"
#include "core/framework/response_util.h"
#include "core/token_api/token_paths.h"

namespace coffer::core::token_api {

namespace {

using framework::FieldData;
using framework::FieldType;
using nlohmann::json;

constexpr std::string_view kRolePrefix = "sys/token/roles/";

json RoleJson(const TokenRole& r) {
  return {{"name", r.name},
          {"allowed_policies", r.allowed_policies},
          {"disallowed_policies", r.disallowed_policies},
          {"orphan", r.orphan},
          {"renewable", r.renewable},
          {"period", r.period},
          {"token_period", r.period},
          {"explicit_max_ttl", r.explicit_max_ttl},
          {"token_explicit_max_ttl", r.explicit_max_ttl},
          {"token_ttl", r.token_ttl},
          {"path_suffix", r.path_suffix},
          {"token_type", "service"}};
}

}  // namespace

Result<TokenRole> LoadRole(storage::Backend& storage, const std::string& name) {
  COFFER_ASSIGN_OR_RETURN(std::string stored, storage.Get(std::string(kRolePrefix) + name));
  json j = json::parse(stored, nullptr, false);
  if (!j.is_object()) {
    return Status::Corruption("stored token role is malformed");
  }
  TokenRole r;
  r.name = name;
  r.allowed_policies = j.value("allowed_policies", std::vector<std::string>{});
  r.disallowed_policies = j.value("disallowed_policies", std::vector<std::string>{});
  r.orphan = j.value("orphan", false);
  r.renewable = j.value("renewable", true);
  r.period = j.value("period", int64_t{0});
  r.explicit_max_ttl = j.value("explicit_max_ttl", int64_t{0});
  r.token_ttl = j.value("token_ttl", int64_t{0});
  r.path_suffix = j.value("path_suffix", "");
  return r;
}

std::vector<framework::PathSpec> RolePaths(Core& core) {
  framework::PathSpec list;
  list.pattern = "roles/?";
  list.operations[Operation::kList] = [&core](const EngineRequest&,
                                              const FieldData&) -> Result<Response> {
    COFFER_ASSIGN_OR_RETURN(std::vector<std::string> names, core.barrier().List(kRolePrefix));
    return framework::ListResponse(std::move(names));
  };

  framework::PathSpec item;
  item.pattern = "roles/(?P<role_name>[^/]+)";
  item.fields = {
      {"role_name", {FieldType::kNameString, json(), true, "The role's name."}},
      {"allowed_policies", {FieldType::kCommaStringSlice, json::array(), false, ""}},
      {"disallowed_policies", {FieldType::kCommaStringSlice, json::array(), false, ""}},
      {"orphan", {FieldType::kBool, json(false), false, ""}},
      {"renewable", {FieldType::kBool, json(true), false, ""}},
      {"period", {FieldType::kDuration, json(0), false, ""}},
      {"token_period", {FieldType::kDuration, json(0), false, ""}},
      {"explicit_max_ttl", {FieldType::kDuration, json(0), false, ""}},
      {"token_explicit_max_ttl", {FieldType::kDuration, json(0), false, ""}},
      {"token_ttl", {FieldType::kDuration, json(0), false, ""}},
      {"path_suffix", {FieldType::kString, json(""), false, ""}},
      {"token_type", {FieldType::kString, json("service"), false, ""}}};
  item.exists = [&core](const EngineRequest&, const FieldData& d) -> Result<bool> {
    auto r = LoadRole(core.barrier(), d.GetString("role_name"));
    if (r.ok()) {
      return true;
    }
    if (r.status().IsNotFound()) {
      return false;
    }
    return r.status();
  };
  item.operations[Operation::kRead] = [&core](const EngineRequest&,
                                              const FieldData& d) -> Result<Response> {
    auto r = LoadRole(core.barrier(), d.GetString("role_name"));
    if (!r.ok()) {
      return r.status().IsNotFound() ? framework::NotFoundNoMessage() : r.status();
    }
    return Response::Data(RoleJson(*r));
  };
  item.operations[Operation::kUpdate] = [&core](const EngineRequest&,
                                                const FieldData& d) -> Result<Response> {
    const std::string tt = d.GetString("token_type");
    if (!tt.empty() && tt != "service" && tt != "default-service" && tt != "default") {
      return Status::InvalidArgument("only service tokens are supported");
    }
    json j = {{"allowed_policies", d.GetStrings("allowed_policies")},
              {"disallowed_policies", d.GetStrings("disallowed_policies")},
              {"orphan", d.GetBool("orphan")},
              {"renewable", d.GetBool("renewable")},
              {"period", d.Provided("token_period") ? d.GetDuration("token_period")
                                                    : d.GetDuration("period")},
              {"explicit_max_ttl", d.Provided("token_explicit_max_ttl")
                                       ? d.GetDuration("token_explicit_max_ttl")
                                       : d.GetDuration("explicit_max_ttl")},
              {"token_ttl", d.GetDuration("token_ttl")},
              {"path_suffix", d.GetString("path_suffix")}};
    COFFER_RETURN_IF_ERROR(
        core.barrier().Put(std::string(kRolePrefix) + d.GetString("role_name"), j.dump()));
    return Response::NoContent();
  };
  item.operations[Operation::kDelete] = [&core](const EngineRequest&,
                                                const FieldData& d) -> Result<Response> {
    COFFER_RETURN_IF_ERROR(core.barrier().Delete(std::string(kRolePrefix) + d.GetString("role_name")));
    return Response::NoContent();
  };
  return {list, item};
}

}  // namespace coffer::core::token_api
