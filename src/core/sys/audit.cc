// sys/audit (list), sys/audit/<path> (enable, disable) and
// sys/audit-hash/<path>, as Vault's API.
#include "core/core.h"
#include "core/framework/json_util.h"
#include "core/sys/sys_paths.h"

namespace coffer::core::sys {

namespace {

using framework::FieldData;
using framework::FieldType;
using nlohmann::json;

json DeviceJson(const audit::DeviceSpec& spec) {
  return {{"type", spec.type},
          {"description", spec.description},
          {"options", spec.options},
          {"local", spec.local},
          {"path", spec.path}};
}

framework::PathSpec ListAudit(Core& core) {
  framework::PathSpec p;
  p.pattern = "audit/?";
  p.operations[Operation::kRead] = [&core](const EngineRequest&,
                                           const FieldData&) -> Result<Response> {
    json data = json::object();
    for (const auto& spec : core.AuditDevices()) {
      data[spec.path] = DeviceJson(spec);
    }
    return Response::Data(std::move(data));
  };
  p.help_synopsis = "List the enabled audit devices.";
  return p;
}

framework::PathSpec OneAudit(Core& core) {
  framework::PathSpec p;
  p.pattern = "audit/(?P<path>.+)";
  p.fields = {
      {"path", {FieldType::kString, json(), true, "Where the device is enabled."}},
      {"type", {FieldType::kString, json(), false, "file, syslog or socket."}},
      {"description", {FieldType::kString, json(""), false, "Free text."}},
      {"options", {FieldType::kMap, json::object(), false, "The device's options."}},
      {"local", {FieldType::kBool, json(false), false, "Not replicated."}},
  };
  p.operations[Operation::kUpdate] = [&core](const EngineRequest&,
                                             const FieldData& d) -> Result<Response> {
    audit::DeviceSpec spec;
    spec.path = d.GetString("path");
    spec.type = d.GetString("type");
    if (spec.type.empty()) {
      return Status::InvalidArgument("audit device type must be specified as a string");
    }
    spec.description = d.GetString("description");
    spec.local = d.GetBool("local");
    COFFER_ASSIGN_OR_RETURN(spec.options,
                            framework::StringMapFromJson(d.GetMap("options"), "options"));
    COFFER_RETURN_IF_ERROR(core.EnableAudit(std::move(spec)));
    return Response::NoContent();
  };
  p.operations[Operation::kDelete] = [&core](const EngineRequest&,
                                             const FieldData& d) -> Result<Response> {
    COFFER_RETURN_IF_ERROR(core.DisableAudit(d.GetString("path")));
    return Response::NoContent();
  };
  p.help_synopsis = "Enable or disable an audit device.";
  return p;
}

framework::PathSpec AuditHash(Core& core) {
  framework::PathSpec p;
  p.pattern = "audit-hash/(?P<path>.+)";
  p.fields = {{"path", {FieldType::kString, json(), true, "The audit device."}},
              {"input", {FieldType::kString, json(), true, "The value to hash."}}};
  p.operations[Operation::kUpdate] = [&core](const EngineRequest&,
                                             const FieldData& d) -> Result<Response> {
    COFFER_ASSIGN_OR_RETURN(std::string hash,
                            core.AuditHash(d.GetString("path"), d.GetString("input")));
    return Response::Data({{"hash", hash}});
  };
  p.help_synopsis = "Hash a value with an audit device's salt, to find it in the log.";
  return p;
}

// coffer's own: checks a checkpoint line's HMAC for `coffer audit verify
// -check-checkpoints`, without handing out the key.
framework::PathSpec AuditCheckpoint(Core& core) {
  framework::PathSpec p;
  p.pattern = "audit-checkpoint";
  p.fields = {{"seq", {FieldType::kInt, json(), true, "The checkpoint line's chain seq."}},
              {"prev", {FieldType::kString, json(), true, "The checkpoint line's chain prev."}},
              {"hmac", {FieldType::kString, json(), true, "The checkpoint line's hmac."}}};
  p.operations[Operation::kUpdate] = [&core](const EngineRequest&,
                                             const FieldData& d) -> Result<Response> {
    const int64_t seq = d.GetInt("seq");
    if (seq < 0) {
      return Status::InvalidArgument("\"seq\" must not be negative");
    }
    COFFER_ASSIGN_OR_RETURN(bool valid, core.AuditCheckpointValid(static_cast<uint64_t>(seq),
                                                                  d.GetString("prev"),
                                                                  d.GetString("hmac")));
    return Response::Data({{"valid", valid}});
  };
  p.help_synopsis = "Check an audit checkpoint's HMAC.";
  return p;
}

}  // namespace

std::vector<framework::PathSpec> AuditPaths(Core& core) {
  return {ListAudit(core), OneAudit(core), AuditHash(core), AuditCheckpoint(core)};
}

}  // namespace coffer::core::sys
