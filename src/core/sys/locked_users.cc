// sys/locked-users (list) and sys/locked-users/<mount accessor>/unlock/<alias>,
// as Vault's API: the aliases that login lockout has locked.
#include <map>

#include "core/core.h"
#include "core/sys/sys_paths.h"

namespace coffer::core::sys {

namespace {

using framework::FieldData;
using framework::FieldType;
using nlohmann::json;

framework::PathSpec ListLocked(Core& core) {
  framework::PathSpec p;
  p.pattern = "locked-users/?";
  p.fields = {{"mount_accessor", {FieldType::kString, json(""), false, "Only this mount."}}};
  p.operations[Operation::kRead] = [&core](const EngineRequest&,
                                           const FieldData& d) -> Result<Response> {
    const std::string only = d.GetString("mount_accessor");
    std::map<std::string, std::vector<std::string>> by_accessor;
    int64_t total = 0;
    for (const auto& locked : core.lockout().LockedAt(core.NowUnix())) {
      if (only.empty() || locked.accessor == only) {
        by_accessor[locked.accessor].push_back(locked.alias);
        ++total;
      }
    }
    json accessors = json::array();
    for (const auto& [accessor, aliases] : by_accessor) {
      accessors.push_back({{"mount_accessor", accessor},
                           {"counts", aliases.size()},
                           {"alias_identifiers", aliases}});
    }
    json by_namespace = json::array();
    if (total > 0) {
      by_namespace.push_back({{"namespace_id", "root"},
                              {"namespace_path", ""},
                              {"counts", total},
                              {"mount_accessors", accessors}});
    }
    return Response::Data({{"by_namespace", by_namespace}, {"total", total}});
  };
  p.help_synopsis = "List the aliases locked out after failed logins.";
  return p;
}

framework::PathSpec Unlock(Core& core) {
  framework::PathSpec p;
  p.pattern = "locked-users/(?P<mount_accessor>[^/]+)/unlock/(?P<alias_identifier>.+)";
  p.fields = {{"mount_accessor", {FieldType::kString, json(), true, "The auth mount."}},
              {"alias_identifier", {FieldType::kString, json(), true, "The user or role id."}}};
  p.operations[Operation::kUpdate] = [&core](const EngineRequest&,
                                             const FieldData& d) -> Result<Response> {
    (void)core.lockout().Unlock(d.GetString("mount_accessor"), d.GetString("alias_identifier"),
                                core.NowUnix());
    return Response::NoContent();
  };
  p.help_synopsis = "Unlock an alias locked out after failed logins.";
  return p;
}

}  // namespace

std::vector<framework::PathSpec> LockedUserPaths(Core& core) {
  return {ListLocked(core), Unlock(core)};
}

}  // namespace coffer::core::sys
