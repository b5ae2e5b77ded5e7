// sys/mounts, sys/mounts/<path>, sys/mounts/<path>/tune, sys/remount and
// sys/internal/ui/mounts/<path>.
#include "core/core.h"
#include "core/framework/json_util.h"
#include "core/framework/response_util.h"
#include "core/sys/sys_paths.h"
#include "crypto/random.h"

namespace coffer::core::sys {

namespace {

using framework::FieldData;
using framework::FieldType;
using nlohmann::json;

json MountConfigJson(Core& core, const MountEntry& e) {
  return {{"default_lease_ttl", e.default_lease_ttl > 0 ? e.default_lease_ttl : 0},
          {"max_lease_ttl", e.max_lease_ttl > 0 ? e.max_lease_ttl : 0},
          {"force_no_cache", false},
          {"audit_non_hmac_request_keys", e.audit_non_hmac_request_keys},
          {"audit_non_hmac_response_keys", e.audit_non_hmac_response_keys},
          {"listing_visibility", e.listing_visibility},
          {"passthrough_request_headers", e.passthrough_request_headers},
          {"allowed_response_headers", e.allowed_response_headers}};
  (void)core;
}

json MountJson(Core& core, const MountEntry& e) {
  return {{"type", e.type},
          {"description", e.description},
          {"accessor", e.accessor},
          {"uuid", e.uuid},
          {"config", MountConfigJson(core, e)},
          {"options", e.options.empty() ? json() : json(e.options)},
          {"local", e.local},
          {"seal_wrap", e.seal_wrap},
          {"external_entropy_access", e.external_entropy_access},
          {"plugin_version", ""},
          {"running_plugin_version", ""},
          {"running_sha256", ""}};
}

// ApplyLockoutConfig reads Vault's user_lockout_config of an auth mount.
Status ApplyLockoutConfig(const json& config, MountEntry& e) {
  if (!e.path.starts_with("auth/")) {
    return Status::InvalidArgument("user_lockout_config applies to auth methods only");
  }
  framework::Fields fields = {
      {"lockout_threshold", {FieldType::kInt, json(), false, ""}},
      {"lockout_duration", {FieldType::kDuration, json(), false, ""}},
      {"lockout_counter_reset", {FieldType::kDuration, json(), false, ""}},
      {"lockout_disable", {FieldType::kBool, json(), false, ""}},
  };
  COFFER_ASSIGN_OR_RETURN(FieldData d, FieldData::Parse(fields, config, {}));
  LockoutConfig next = e.user_lockout;
  if (d.Provided("lockout_threshold")) {
    next.threshold = d.GetInt("lockout_threshold");
  }
  if (d.Provided("lockout_duration")) {
    next.duration = d.GetDuration("lockout_duration");
  }
  if (d.Provided("lockout_counter_reset")) {
    next.counter_reset = d.GetDuration("lockout_counter_reset");
  }
  if (d.Provided("lockout_disable")) {
    next.disabled = d.GetBool("lockout_disable");
  }
  if (next.threshold < 1 || next.duration < 1 || next.counter_reset < 1) {
    return Status::InvalidArgument(
        "user_lockout_config: lockout_threshold, lockout_duration and lockout_counter_reset "
        "must be positive");
  }
  e.user_lockout = next;
  return Status::Ok();
}

// ApplyTuneConfig reads the tunable fields of a "config" object (enable) or
// of the tune body itself.
Status ApplyTuneConfig(const json& config, MountEntry& e) {
  if (!config.is_object()) {
    return Status::InvalidArgument("\"config\" must be an object");
  }
  framework::Fields fields = {
      {"default_lease_ttl", {FieldType::kString, json(), false, ""}},
      {"max_lease_ttl", {FieldType::kString, json(), false, ""}},
      {"description", {FieldType::kString, json(), false, ""}},
      {"audit_non_hmac_request_keys", {FieldType::kCommaStringSlice, json(), false, ""}},
      {"audit_non_hmac_response_keys", {FieldType::kCommaStringSlice, json(), false, ""}},
      {"listing_visibility", {FieldType::kString, json(), false, ""}},
      {"passthrough_request_headers", {FieldType::kCommaStringSlice, json(), false, ""}},
      {"allowed_response_headers", {FieldType::kCommaStringSlice, json(), false, ""}},
      {"user_lockout_config", {FieldType::kMap, json(), false, ""}},
  };
  COFFER_ASSIGN_OR_RETURN(FieldData d, FieldData::Parse(fields, config, {}));
  if (d.Provided("user_lockout_config")) {
    COFFER_RETURN_IF_ERROR(ApplyLockoutConfig(d.GetMap("user_lockout_config"), e));
  }
  for (const char* ttl_name : {"default_lease_ttl", "max_lease_ttl"}) {
    if (!d.Provided(ttl_name)) {
      continue;
    }
    std::string text = d.GetString(ttl_name);
    int64_t seconds = 0;
    if (text != "system" && !text.empty()) {
      COFFER_ASSIGN_OR_RETURN(framework::FieldData one,
                              FieldData::Parse({{"v", {FieldType::kDuration, json(), false, ""}}},
                                               json{{"v", config[ttl_name]}}, {}));
      seconds = one.GetDuration("v");
    }
    (std::string(ttl_name) == "default_lease_ttl" ? e.default_lease_ttl : e.max_lease_ttl) = seconds;
  }
  if (d.Provided("description")) {
    e.description = d.GetString("description");
  }
  if (d.Provided("audit_non_hmac_request_keys")) {
    e.audit_non_hmac_request_keys = d.GetStrings("audit_non_hmac_request_keys");
  }
  if (d.Provided("audit_non_hmac_response_keys")) {
    e.audit_non_hmac_response_keys = d.GetStrings("audit_non_hmac_response_keys");
  }
  if (d.Provided("listing_visibility")) {
    const std::string v = d.GetString("listing_visibility");
    if (v != "" && v != "hidden" && v != "unauth") {
      return Status::InvalidArgument("listing_visibility must be \"hidden\" or \"unauth\"");
    }
    e.listing_visibility = v;
  }
  if (d.Provided("passthrough_request_headers")) {
    e.passthrough_request_headers = d.GetStrings("passthrough_request_headers");
  }
  if (d.Provided("allowed_response_headers")) {
    e.allowed_response_headers = d.GetStrings("allowed_response_headers");
  }
  return Status::Ok();
}

// sys/mounts serves secrets engines and sys/auth auth methods, whose mount
// paths are "auth/<path>" in the core but "<path>" on this API.
struct Table {
  bool auth;
  const char* api_prefix;  // "mounts" or "auth"
  std::string CorePath(const std::string& path) const { return auth ? "auth/" + path : path; }
  std::string ApiPath(const std::string& core_path) const {
    return auth ? core_path.substr(5) : core_path;
  }
};
constexpr Table kSecrets{false, "mounts"};
constexpr Table kAuth{true, "auth"};

framework::PathSpec ListMounts(Core& core, Table table) {
  framework::PathSpec p;
  p.pattern = std::string(table.api_prefix) + "/?";
  p.operations[Operation::kRead] = [&core, table](const EngineRequest&,
                                                  const FieldData&) -> Result<Response> {
    json data = json::object();
    for (const auto& e : core.Mounts(table.auth)) {
      data[table.ApiPath(e.path)] = MountJson(core, e);
    }
    return Response::Data(std::move(data));
  };
  p.help_synopsis = table.auth ? "List the enabled auth methods." : "List the mounted secrets engines.";
  return p;
}

framework::PathSpec TuneMount(Core& core, Table table) {
  framework::PathSpec p;
  p.pattern = std::string(table.api_prefix) + "/(?P<path>.+?)/tune/?";
  p.fields = {{"path", {FieldType::kString, json(), true, "The mount to tune."}}};
  p.takes_arbitrary_input = true;
  p.operations[Operation::kRead] = [&core, table](const EngineRequest&,
                                                  const FieldData& d) -> Result<Response> {
    COFFER_ASSIGN_OR_RETURN(MountEntry e, core.MountFor(table.CorePath(d.GetString("path"))));
    json data = {{"default_lease_ttl", core.DefaultLeaseTtl(e)},
                 {"max_lease_ttl", core.MaxLeaseTtl(e)},
                 {"force_no_cache", false},
                 {"description", e.description}};
    if (!e.options.empty()) {
      data["options"] = e.options;
    }
    if (table.auth) {
      data["user_lockout_threshold"] = e.user_lockout.threshold;
      data["user_lockout_duration"] = e.user_lockout.duration;
      data["user_lockout_counter_reset_duration"] = e.user_lockout.counter_reset;
      data["user_lockout_disable"] = e.user_lockout.disabled;
    }
    return Response::Data(std::move(data));
  };
  p.operations[Operation::kUpdate] = [&core, table](const EngineRequest& req,
                                                    const FieldData& d) -> Result<Response> {
    COFFER_RETURN_IF_ERROR(core.Tune(table.CorePath(d.GetString("path")), [&](MountEntry& e) -> Status {
      json body = req.data;
      body.erase("path");
      if (body.contains("options")) {
        COFFER_ASSIGN_OR_RETURN(auto options, framework::StringMapFromJson(body["options"], "options"));
        for (auto& [k, v] : options) {
          if (k == "version" && e.type == "kv" && e.options.count("version") != 0 &&
              e.options["version"] != v) {
            return Status::InvalidArgument("changing the KV version of a mount is not supported");
          }
          e.options[k] = v;
        }
        body.erase("options");
      }
      return ApplyTuneConfig(body, e);
    }));
    return Response::NoContent();
  };
  p.help_synopsis = "Tune a mount's lease TTLs, description and options.";
  return p;
}

framework::PathSpec OneMount(Core& core, Table table) {
  framework::PathSpec p;
  p.pattern = std::string(table.api_prefix) + "/(?P<path>.+)";
  p.fields = {
      {"path", {FieldType::kString, json(), true, "Where to mount."}},
      {"type", {FieldType::kString, json(), false, "The engine type, e.g. kv."}},
      {"description", {FieldType::kString, json(""), false, "Free text."}},
      {"config", {FieldType::kMap, json::object(), false, "Lease TTLs and audit settings."}},
      {"options", {FieldType::kMap, json::object(), false, "Engine options, e.g. version=2."}},
      {"local", {FieldType::kBool, json(false), false, "Not replicated."}},
      {"seal_wrap", {FieldType::kBool, json(false), false, "Seal-wrap the mount's data."}},
      {"external_entropy_access", {FieldType::kBool, json(false), false, ""}},
      {"plugin_name", {FieldType::kString, json(""), false, ""}},
      {"plugin_version", {FieldType::kString, json(""), false, ""}},
  };
  p.operations[Operation::kRead] = [&core, table](const EngineRequest&,
                                                  const FieldData& d) -> Result<Response> {
    COFFER_ASSIGN_OR_RETURN(MountEntry e, core.MountFor(table.CorePath(d.GetString("path"))));
    return Response::Data(MountJson(core, e));
  };
  p.operations[Operation::kUpdate] = [&core, table](const EngineRequest&,
                                                    const FieldData& d) -> Result<Response> {
    MountEntry e;
    e.path = table.CorePath(d.GetString("path"));
    e.type = d.GetString("type");
    if (e.type.empty()) {
      e.type = d.GetString("plugin_name");
    }
    if (e.type.empty()) {
      return Status::InvalidArgument("backend type must be specified as a string");
    }
    e.description = d.GetString("description");
    e.local = d.GetBool("local");
    e.seal_wrap = d.GetBool("seal_wrap");
    e.external_entropy_access = d.GetBool("external_entropy_access");
    COFFER_ASSIGN_OR_RETURN(e.options, framework::StringMapFromJson(d.GetMap("options"), "options"));
    if (e.type == "kv-v2") {
      e.type = "kv";
      e.options["version"] = "2";
    }
    COFFER_RETURN_IF_ERROR(ApplyTuneConfig(d.GetMap("config"), e));
    COFFER_RETURN_IF_ERROR(core.Mount(std::move(e)));
    return Response::NoContent();
  };
  p.operations[Operation::kDelete] = [&core, table](const EngineRequest&,
                                                    const FieldData& d) -> Result<Response> {
    COFFER_RETURN_IF_ERROR(core.Unmount(table.CorePath(d.GetString("path"))));
    return Response::NoContent();
  };
  p.help_synopsis = table.auth ? "Enable, read or disable an auth method."
                               : "Enable, read or disable a secrets engine.";
  return p;
}

framework::PathSpec Remount(Core& core) {
  framework::PathSpec p;
  p.pattern = "remount";
  p.fields = {{"from", {FieldType::kString, json(), true, "The mount to move."}},
              {"to", {FieldType::kString, json(), true, "Its new path."}}};
  p.operations[Operation::kUpdate] = [&core](const EngineRequest&,
                                             const FieldData& d) -> Result<Response> {
    COFFER_RETURN_IF_ERROR(core.Remount(d.GetString("from"), d.GetString("to")));
    COFFER_ASSIGN_OR_RETURN(std::string id, crypto::RandomUuid());
    // Moves are synchronous here (the data is keyed by UUID and does not
    // move); the status record answers clients that poll as Vault's do.
    json info = {{"source_mount", d.GetString("from")},
                 {"target_mount", d.GetString("to")},
                 {"status", "success"}};
    COFFER_RETURN_IF_ERROR(core.barrier().Put("core/migrations/" + id, info.dump()));
    return Response::Data({{"migration_id", id}});
  };
  p.help_synopsis = "Move a mount to another path; its data moves with it.";
  return p;
}

framework::PathSpec RemountStatus(Core& core) {
  framework::PathSpec p;
  p.pattern = "remount/status/(?P<migration_id>[^/]+)";
  p.fields = {{"migration_id", {FieldType::kString, json(), true, "The move's id."}}};
  p.operations[Operation::kRead] = [&core](const EngineRequest&,
                                           const FieldData& d) -> Result<Response> {
    const std::string id = d.GetString("migration_id");
    auto stored = core.barrier().Get("core/migrations/" + id);
    if (!stored.ok()) {
      return stored.status().IsNotFound() ? framework::NotFoundNoMessage() : stored.status();
    }
    json info = json::parse(*stored, nullptr, false);
    return Response::Data({{"migration_id", id}, {"migration_info", info}});
  };
  return p;
}

framework::PathSpec UiMount(Core& core) {
  framework::PathSpec p;
  p.pattern = "internal/ui/mounts/(?P<path>.+)";
  p.fields = {{"path", {FieldType::kString, json(), true, "A path inside a mount."}}};
  p.operations[Operation::kRead] = [&core](const EngineRequest&,
                                           const FieldData& d) -> Result<Response> {
    const std::string path = d.GetString("path");
    for (const auto& e : core.Mounts(false)) {
      const std::string bare = e.path.substr(0, e.path.size() - 1);
      if (path == bare || path.starts_with(e.path)) {
        json data = MountJson(core, e);
        data["path"] = e.path;
        return Response::Data(std::move(data));
      }
    }
    return Status::PermissionDenied(
        "preflight capability check returned 403, please ensure client's policies grant access "
        "to path \"" + path + "/\"");
  };
  return p;
}

}  // namespace

std::vector<framework::PathSpec> MountPaths(Core& core) {
  return {ListMounts(core, kSecrets), TuneMount(core, kSecrets), OneMount(core, kSecrets),
          ListMounts(core, kAuth),    TuneMount(core, kAuth),    OneMount(core, kAuth),
          Remount(core),              RemountStatus(core),       UiMount(core)};
}

}  // namespace coffer::core::sys
