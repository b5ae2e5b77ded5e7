#include "cli/secrets_commands.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <thread>

#include "cli/command_util.h"
#include "cli/secret_output.h"

namespace coffer::cli {

namespace {

using nlohmann::json;

constexpr const char* kSecretsUsage =
    "Usage: coffer secrets <subcommand> [options] [args]\n\n"
    "    enable     Mount a secrets engine: TYPE (-path, -version=2 for kv v2)\n"
    "    disable    Unmount a secrets engine and delete its data\n"
    "    list       List the mounted secrets engines\n"
    "    tune       Change a mount's TTLs, description or options\n"
    "    move       Move a mount to a new path: SOURCE DESTINATION\n";

// How long `secrets move` waits for the server to finish a migration.
constexpr auto kMoveTimeout = std::chrono::minutes(5);
constexpr auto kMovePoll = std::chrono::milliseconds(500);

json Member(const json& object, const char* key) {
  return object.is_object() && object.contains(key) ? object[key] : json(nullptr);
}

// OptionsFlag reads the repeatable -options=k=v into an object.
Result<json> OptionsFlag(const ParsedFlags& flags) {
  json options = json::object();
  for (const auto& kv : flags.GetAll("options")) {
    const size_t eq = kv.find('=');
    if (eq == std::string::npos) {
      return Status::InvalidArgument("invalid key/value pair \"" + kv + "\" for -options");
    }
    options[kv.substr(0, eq)] = kv.substr(eq + 1);
  }
  COFFER_ASSIGN_OR_RETURN(std::optional<int64_t> version, IntFlag(flags, "version"));
  if (version && *version > 0) {
    // Mount options are strings on the wire.
    options["version"] = std::to_string(*version);
  }
  return options;
}

// TtlConfig sets default_lease_ttl / max_lease_ttl from the flags.
Status TtlConfig(const ParsedFlags& flags, json* config) {
  for (const char* name : {"default-lease-ttl", "max-lease-ttl"}) {
    COFFER_ASSIGN_OR_RETURN(std::optional<int64_t> seconds, DurationFlag(flags, name));
    if (seconds) {
      std::string key = name;
      std::replace(key.begin(), key.end(), '-', '_');
      (*config)[key] = std::to_string(*seconds) + "s";
    }
  }
  return Status::Ok();
}

std::vector<FlagSpec> TuneFlags(bool enable) {
  std::vector<FlagSpec> f = {
      {"description", false, "A human-friendly description of the mount."},
      {"default-lease-ttl", false, "Default TTL of the leases the engine hands out."},
      {"max-lease-ttl", false, "Maximum TTL of the leases the engine hands out."},
      {"options", false, "An engine option, key=value; repeatable.", true},
      {"version", false, "The engine version (kv: 1 or 2); sets options version."},
  };
  if (enable) {
    f.push_back({"path", false, "Where to mount the engine (default: its type)."});
    f.push_back({"local", true, "Do not replicate the mount."});
    f.push_back({"seal-wrap", true, "Seal-wrap the engine's critical values."});
  }
  return f;
}

int RunEnable(const std::vector<std::string>& args) {
  const CommandSpec spec{
      "Usage: coffer secrets enable [options] TYPE\n\n"
      "  Mounts a secrets engine of TYPE at -path (default: TYPE).\n",
      TuneFlags(true),
      1,
      1};
  Invocation inv;
  if (int rc = kExitOk; !Begin(args, spec, &inv, &rc)) {
    return rc;
  }
  const std::string type = SanitizePath(inv.args()[0]);
  auto input = MountInput(type, inv.flags);
  if (!input.ok()) {
    return UsageError(input.status().message(), spec);
  }
  const std::string path =
      EnsureTrailingSlash(SanitizePath(inv.flags.Get("path", type)));
  auto r = Send(*inv.client, "POST", "sys/mounts/" + EscapePath(SanitizePath(path)), *input);
  if (!r.ok()) {
    return PrintError("enabling", r.status());
  }
  std::printf("Success! Enabled the %s secrets engine at: %s\n", type.c_str(), path.c_str());
  return kExitOk;
}

int RunDisable(const std::vector<std::string>& args) {
  const CommandSpec spec{
      "Usage: coffer secrets disable [options] PATH\n\n"
      "  Unmounts the secrets engine at PATH; its data and leases are deleted.\n",
      {},
      1,
      1};
  Invocation inv;
  if (int rc = kExitOk; !Begin(args, spec, &inv, &rc)) {
    return rc;
  }
  const std::string path = EnsureTrailingSlash(SanitizePath(inv.args()[0]));
  auto r = Send(*inv.client, "DELETE", "sys/mounts/" + EscapePath(SanitizePath(path)));
  if (!r.ok()) {
    return PrintError("disabling secrets engine at " + path, r.status());
  }
  std::printf("Success! Disabled the secrets engine (if it existed) at: %s\n", path.c_str());
  return kExitOk;
}

int RunList(const std::vector<std::string>& args) {
  const CommandSpec spec{
      "Usage: coffer secrets list [options]\n",
      {{"detailed", true, "Show more columns: TTLs, options, UUID..."}},
      0,
      0};
  Invocation inv;
  if (int rc = kExitOk; !Begin(args, spec, &inv, &rc)) {
    return rc;
  }
  auto r = Send(*inv.client, "GET", "sys/mounts");
  if (!r.ok()) {
    return PrintError("listing secrets engines", r.status());
  }
  if (OutputFormat(inv.flags) == "json") {
    const json& body = r->body;
    const json table = Member(body, "data").is_object() ? body["data"] : body;
    std::printf("%s\n", table.dump(2, ' ', false, json::error_handler_t::replace).c_str());
    return kExitOk;
  }
  std::printf("%s", FormatColumns(MountRows(r->body, inv.flags.GetBool("detailed"))).c_str());
  return kExitOk;
}

int RunTune(const std::vector<std::string>& args) {
  const CommandSpec spec{
      "Usage: coffer secrets tune [options] PATH\n\n"
      "  Changes the settings of the mount at PATH; only the flags given change.\n",
      TuneFlags(false),
      1,
      1};
  Invocation inv;
  if (int rc = kExitOk; !Begin(args, spec, &inv, &rc)) {
    return rc;
  }
  json body = json::object();
  if (Status st = TtlConfig(inv.flags, &body); !st.ok()) {
    return UsageError(st.message(), spec);
  }
  if (inv.flags.Has("description")) {
    body["description"] = inv.flags.Get("description");
  }
  auto options = OptionsFlag(inv.flags);
  if (!options.ok()) {
    return UsageError(options.status().message(), spec);
  }
  if (!options->empty()) {
    body["options"] = std::move(*options);
  }
  const std::string path = EnsureTrailingSlash(SanitizePath(inv.args()[0]));
  auto r = Send(*inv.client, "POST", "sys/mounts/" + EscapePath(SanitizePath(path)) + "/tune",
                body);
  if (!r.ok()) {
    return PrintError("tuning secrets engine " + path, r.status());
  }
  std::printf("Success! Tuned the secrets engine at: %s\n", path.c_str());
  return kExitOk;
}

int RunMove(const std::vector<std::string>& args) {
  const CommandSpec spec{
      "Usage: coffer secrets move [options] SOURCE DESTINATION\n\n"
      "  Moves the mount at SOURCE, with its data, to DESTINATION.\n",
      {},
      2,
      2};
  Invocation inv;
  if (int rc = kExitOk; !Begin(args, spec, &inv, &rc)) {
    return rc;
  }
  const std::string from = EnsureTrailingSlash(SanitizePath(inv.args()[0]));
  const std::string to = EnsureTrailingSlash(SanitizePath(inv.args()[1]));
  auto r = Send(*inv.client, "POST", "sys/remount", json{{"from", from}, {"to", to}});
  if (!r.ok()) {
    return PrintError("moving secrets engine " + from + " to " + to, r.status());
  }
  const json id = Member(Member(r->body, "data"), "migration_id").is_string()
                      ? Member(Member(r->body, "data"), "migration_id")
                      : Member(r->body, "migration_id");
  if (!id.is_string()) {
    // A server that moves the mount before answering.
    std::printf("Success! Moved secrets engine %s to: %s\n", from.c_str(), to.c_str());
    return kExitOk;
  }
  // Vault moves mounts in the background: poll the migration's status.
  const std::string migration = id.get<std::string>();
  std::printf("Started moving secrets engine %s to %s, with migration ID %s\n", from.c_str(),
              to.c_str(), migration.c_str());
  std::fflush(stdout);
  const auto deadline = std::chrono::steady_clock::now() + kMoveTimeout;
  while (std::chrono::steady_clock::now() < deadline) {
    auto status = Send(*inv.client, "GET", "sys/remount/status/" + EscapePath(migration));
    if (!status.ok()) {
      return PrintError("checking migration status of " + migration, status.status());
    }
    const json info = Member(Member(status->body, "data"), "migration_info");
    const std::string state = Member(info, "status").is_string() ? info["status"].get<std::string>()
                                                                 : "";
    if (state == "success") {
      std::printf("Success! Finished moving secrets engine %s to %s, with migration ID %s\n",
                  from.c_str(), to.c_str(), migration.c_str());
      return kExitOk;
    }
    if (state == "failure") {
      std::fprintf(stderr,
                   "Failure! Error encountered moving secrets engine %s to %s, with migration "
                   "ID %s\n",
                   from.c_str(), to.c_str(), migration.c_str());
      return kExitError;
    }
    std::this_thread::sleep_for(kMovePoll);
  }
  std::fprintf(stderr, "Error: migration %s did not finish in time\n", migration.c_str());
  return kExitError;
}

}  // namespace

Result<json> MountInput(const std::string& type, const ParsedFlags& flags) {
  json body = {{"type", type}};
  if (flags.Has("description")) {
    body["description"] = flags.Get("description");
  }
  json config = json::object();
  COFFER_RETURN_IF_ERROR(TtlConfig(flags, &config));
  if (!config.empty()) {
    body["config"] = std::move(config);
  }
  COFFER_ASSIGN_OR_RETURN(json options, OptionsFlag(flags));
  if (!options.empty()) {
    body["options"] = std::move(options);
  }
  if (flags.GetBool("local")) {
    body["local"] = true;
  }
  if (flags.GetBool("seal-wrap")) {
    body["seal_wrap"] = true;
  }
  return body;
}

std::vector<std::vector<std::string>> MountRows(const json& body, bool detailed) {
  const json table = Member(body, "data").is_object() ? body["data"] : body;
  std::vector<std::vector<std::string>> rows;
  if (detailed) {
    rows.push_back({"Path", "Plugin", "Accessor", "Default TTL", "Max TTL", "Force No Cache",
                    "Replication", "Seal Wrap", "External Entropy Access", "Options",
                    "Description", "UUID"});
  } else {
    rows.push_back({"Path", "Type", "Accessor", "Description"});
  }
  if (!table.is_object()) {
    return rows;
  }
  auto str = [](const json& v) { return v.is_null() ? std::string() : GoValue(v); };
  for (const auto& [path, mount] : table.items()) {
    if (!mount.is_object()) {
      continue;  // the envelope fields of an old-style answer
    }
    const std::string type = str(Member(mount, "type"));
    if (!detailed) {
      rows.push_back({path, type, str(Member(mount, "accessor")),
                      str(Member(mount, "description"))});
      continue;
    }
    const json config = Member(mount, "config");
    // As vault: system and cubbyhole mounts have no TTLs; 0 means the
    // system default.
    auto ttl = [&](const char* key) -> std::string {
      if (type == "system" || type == "cubbyhole") {
        return "";
      }
      const json v = Member(config, key);
      return v.is_number_integer() && v.get<int64_t>() != 0 ? GoValue(v) : "system";
    };
    const std::string plugin = str(Member(config, "plugin_name"));
    json options = Member(mount, "options");
    rows.push_back({path, plugin.empty() ? type : plugin, str(Member(mount, "accessor")),
                    ttl("default_lease_ttl"), ttl("max_lease_ttl"),
                    Member(config, "force_no_cache").is_boolean()
                        ? GoValue(config["force_no_cache"])
                        : "false",
                    Member(mount, "local") == json(true) ? "local" : "replicated",
                    Member(mount, "seal_wrap") == json(true) ? "true" : "false",
                    Member(mount, "external_entropy_access") == json(true) ? "true" : "false",
                    options.is_object() ? GoValue(options) : "map[]",
                    str(Member(mount, "description")), str(Member(mount, "uuid"))});
  }
  return rows;
}

int RunSecrets(const std::vector<std::string>& args) {
  if (args.empty() || args[0] == "-h" || args[0] == "-help" || args[0] == "--help") {
    std::fprintf(args.empty() ? stderr : stdout, "%s", kSecretsUsage);
    return args.empty() ? kExitUsage : kExitOk;
  }
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  if (args[0] == "enable") {
    return RunEnable(rest);
  }
  if (args[0] == "disable") {
    return RunDisable(rest);
  }
  if (args[0] == "list") {
    return RunList(rest);
  }
  if (args[0] == "tune") {
    return RunTune(rest);
  }
  if (args[0] == "move") {
    return RunMove(rest);
  }
  std::fprintf(stderr, "Unknown secrets subcommand \"%s\"\n\n%s", args[0].c_str(),
               kSecretsUsage);
  return kExitUsage;
}

}  // namespace coffer::cli
