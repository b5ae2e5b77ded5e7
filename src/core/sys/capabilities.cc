// sys/capabilities, sys/capabilities-self, sys/capabilities-accessor.
#include <algorithm>

#include "core/core.h"
#include "core/policy/acl.h"
#include "core/sys/sys_paths.h"

namespace coffer::core::sys {

namespace {

using framework::FieldData;
using framework::FieldType;
using nlohmann::json;

Result<std::vector<std::string>> Paths(const FieldData& d) {
  std::vector<std::string> paths = d.GetStrings("paths");
  if (paths.empty()) {
    paths = d.GetStrings("path");
  }
  if (paths.empty()) {
    return Status::InvalidArgument("missing paths");
  }
  return paths;
}

Result<Response> CapabilitiesOf(Core& core, const TokenEntry& token,
                                const std::vector<std::string>& paths) {
  COFFER_ASSIGN_OR_RETURN(auto acl, core.policies().AclFor(token.policies));
  json data = json::object();
  std::vector<std::string> all;
  std::string last;
  for (std::string path : paths) {
    while (!path.empty() && path.front() == '/') {
      path.erase(0, 1);
    }
    last = path;
    std::vector<std::string> caps;
    if (acl->IsRoot()) {
      caps = {"root"};
    } else {
      caps = acl->CapabilityNamesFor(path);
      if (caps.empty()) {
        caps = {"deny"};
      }
    }
    data[path] = caps;
    all.insert(all.end(), caps.begin(), caps.end());
  }
  if (paths.size() == 1) {
    data["capabilities"] = data[last];
  } else {
    std::sort(all.begin(), all.end());
    all.erase(std::unique(all.begin(), all.end()), all.end());
    data["capabilities"] = all;
  }
  return Response::Data(std::move(data));
}

framework::Fields PathFields() {
  return {{"path", {FieldType::kCommaStringSlice, json::array(), false, "Deprecated: use paths."}},
          {"paths", {FieldType::kCommaStringSlice, json::array(), false, "Paths to check."}}};
}

}  // namespace

std::vector<framework::PathSpec> CapabilityPaths(Core& core) {
  framework::PathSpec of_token;
  of_token.pattern = "capabilities";
  of_token.fields = PathFields();
  of_token.fields["token"] = {FieldType::kString, json(), true, "The token to check."};
  of_token.operations[Operation::kUpdate] = [&core](const EngineRequest&,
                                                    const FieldData& d) -> Result<Response> {
    COFFER_ASSIGN_OR_RETURN(std::vector<std::string> paths, Paths(d));
    auto token = core.tokens().Lookup(d.GetString("token"));
    if (!token.ok()) {
      return Status::InvalidArgument("invalid token");
    }
    return CapabilitiesOf(core, *token, paths);
  };

  framework::PathSpec self;
  self.pattern = "capabilities-self";
  self.fields = PathFields();
  self.fields["token"] = {FieldType::kString, json(""), false, "Ignored: the caller's token."};
  self.operations[Operation::kUpdate] = [&core](const EngineRequest& req,
                                                const FieldData& d) -> Result<Response> {
    COFFER_ASSIGN_OR_RETURN(std::vector<std::string> paths, Paths(d));
    COFFER_ASSIGN_OR_RETURN(TokenEntry token,
                            core.tokens().LookupByKey("sys/token/id/" + req.client_id));
    return CapabilitiesOf(core, token, paths);
  };

  framework::PathSpec accessor;
  accessor.pattern = "capabilities-accessor";
  accessor.fields = PathFields();
  accessor.fields["accessor"] = {FieldType::kString, json(), true, "The token's accessor."};
  accessor.operations[Operation::kUpdate] = [&core](const EngineRequest&,
                                                    const FieldData& d) -> Result<Response> {
    COFFER_ASSIGN_OR_RETURN(std::vector<std::string> paths, Paths(d));
    COFFER_ASSIGN_OR_RETURN(TokenEntry token, core.tokens().LookupAccessor(d.GetString("accessor")));
    return CapabilitiesOf(core, token, paths);
  };
  return {of_token, self, accessor};
}

}  // namespace coffer::core::sys
