// sys/policies/password: password policy CRUD and generation, as Vault's
// API (website/content/api-docs/system/policies-password.mdx). The paths
// have no existence check, as in Vault: writing one needs "update".
#include "core/core.h"
#include "core/framework/response_util.h"
#include "core/sys/sys_paths.h"

namespace coffer::core::sys {

namespace {

using framework::FieldData;
using framework::FieldType;
using nlohmann::json;

framework::PathSpec List(Core& core) {
  framework::PathSpec p;
  p.pattern = "policies/password/?";
  p.operations[Operation::kList] = [&core](const EngineRequest&,
                                           const FieldData&) -> Result<Response> {
    COFFER_ASSIGN_OR_RETURN(std::vector<std::string> names, core.password_policies().List());
    return framework::ListResponse(std::move(names));
  };
  p.help_synopsis = "List the password policies.";
  return p;
}

// Generate comes before Item: Item's name pattern would also match
// "<name>/generate".
framework::PathSpec Generate(Core& core) {
  framework::PathSpec p;
  p.pattern = "policies/password/(?P<name>.+)/generate";
  p.fields = {{"name", {FieldType::kString, json(), true, "The password policy's name."}}};
  p.operations[Operation::kRead] = [&core](const EngineRequest&,
                                           const FieldData& d) -> Result<Response> {
    COFFER_ASSIGN_OR_RETURN(std::string password,
                            core.password_policies().Generate(d.GetString("name")));
    return Response::Data({{"password", std::move(password)}});
  };
  p.help_synopsis = "Generate a password from an existing password policy.";
  return p;
}

framework::PathSpec Item(Core& core) {
  framework::PathSpec p;
  p.pattern = "policies/password/(?P<name>.+)";
  p.fields = {{"name", {FieldType::kString, json(), true, "The password policy's name."}},
              {"policy", {FieldType::kString, json(""), false,
                          "The password policy, HCL or JSON, optionally base64-encoded."}}};
  p.operations[Operation::kRead] = [&core](const EngineRequest&,
                                           const FieldData& d) -> Result<Response> {
    COFFER_ASSIGN_OR_RETURN(std::string text, core.password_policies().Get(d.GetString("name")));
    return Response::Data({{"policy", std::move(text)}});
  };
  p.operations[Operation::kUpdate] = [&core](const EngineRequest&,
                                             const FieldData& d) -> Result<Response> {
    COFFER_RETURN_IF_ERROR(
        core.password_policies().Put(d.GetString("name"), d.GetString("policy")));
    return Response::NoContent();
  };
  p.operations[Operation::kDelete] = [&core](const EngineRequest&,
                                             const FieldData& d) -> Result<Response> {
    COFFER_RETURN_IF_ERROR(core.password_policies().Delete(d.GetString("name")));
    return Response::NoContent();
  };
  p.help_synopsis = "Read, write or delete a password policy.";
  return p;
}

}  // namespace

std::vector<framework::PathSpec> PasswordPolicyPaths(Core& core) {
  return {List(core), Generate(core), Item(core)};
}

}  // namespace coffer::core::sys
