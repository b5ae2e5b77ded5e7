// sys/policy (legacy) and sys/policies/acl: ACL policy CRUD.
#include "core/core.h"
#include "core/framework/response_util.h"
#include "core/sys/sys_paths.h"

namespace coffer::core::sys {

namespace {

using framework::FieldData;
using framework::FieldType;
using nlohmann::json;

Result<Response> ReadPolicy(Core& core, const std::string& name, const char* text_field) {
  auto p = core.policies().Get(name);
  if (!p.ok()) {
    if (p.status().IsNotFound()) {
      return framework::NotFoundNoMessage();
    }
    return p.status();
  }
  return Response::Data({{"name", p->name}, {text_field, p->text}});
}

Result<Response> WritePolicy(Core& core, const FieldData& d, const char* text_field) {
  std::string text = d.GetString(text_field);
  if (text.empty() && std::string(text_field) == "rules") {
    text = d.GetString("policy");
  }
  if (text.empty()) {
    return Status::InvalidArgument(std::string("'") + text_field + "' parameter not supplied or empty");
  }
  COFFER_RETURN_IF_ERROR(core.policies().Put(d.GetString("name"), text));
  return Response::NoContent();
}

framework::PathSpec PolicyList(Core& core, const std::string& pattern, bool legacy) {
  framework::PathSpec p;
  p.pattern = pattern;
  auto list = [&core, legacy](const EngineRequest&, const FieldData&) -> Result<Response> {
    COFFER_ASSIGN_OR_RETURN(std::vector<std::string> names, core.policies().List());
    if (legacy) {
      return Response::Data({{"keys", names}, {"policies", names}});
    }
    return Response::Data({{"keys", names}});
  };
  p.operations[Operation::kList] = list;
  if (legacy) {
    p.operations[Operation::kRead] = list;
  }
  p.help_synopsis = "List the ACL policies.";
  return p;
}

framework::PathSpec PolicyItem(Core& core, const std::string& pattern, const char* text_field) {
  framework::PathSpec p;
  p.pattern = pattern;
  p.fields = {{"name", {FieldType::kString, json(), true, "The policy's name."}},
              {text_field, {FieldType::kString, json(""), false, "The policy text, HCL or JSON."}}};
  if (std::string(text_field) == "rules") {
    p.fields["policy"] = {FieldType::kString, json(""), false, "Alias of rules."};
  }
  p.operations[Operation::kRead] = [&core, text_field](const EngineRequest&,
                                                       const FieldData& d) -> Result<Response> {
    return ReadPolicy(core, d.GetString("name"), text_field);
  };
  p.operations[Operation::kUpdate] = [&core, text_field](const EngineRequest&,
                                                         const FieldData& d) -> Result<Response> {
    return WritePolicy(core, d, text_field);
  };
  p.operations[Operation::kDelete] = [&core](const EngineRequest&,
                                             const FieldData& d) -> Result<Response> {
    COFFER_RETURN_IF_ERROR(core.policies().Delete(d.GetString("name")));
    return Response::NoContent();
  };
  p.help_synopsis = "Read, write or delete an ACL policy.";
  return p;
}

}  // namespace

std::vector<framework::PathSpec> PolicyPaths(Core& core) {
  return {PolicyList(core, "policy/?", true),
          PolicyItem(core, "policy/(?P<name>.+)", "rules"),
          PolicyList(core, "policies/acl/?", false),
          PolicyItem(core, "policies/acl/(?P<name>.+)", "policy")};
}

}  // namespace coffer::core::sys
