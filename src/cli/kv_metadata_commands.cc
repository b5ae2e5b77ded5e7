// `coffer kv metadata get|put|delete`: a KV v2 secret's metadata and
// version history.
#include <algorithm>
#include <cstdio>
#include <vector>

#include "cli/kv_commands.h"
#include "cli/secret_output.h"

namespace coffer::cli {

namespace {

using nlohmann::json;

constexpr const char* kMetadataUsage =
    "Usage: coffer kv metadata <subcommand> [options] PATH\n\n"
    "    get       Print a secret's metadata and its versions\n"
    "    put       Set -max-versions, -cas-required, -delete-version-after,\n"
    "              -custom-metadata=k=v\n"
    "    delete    Delete the secret's metadata and every version\n";

json Member(const json& object, const char* key) {
  return object.is_object() && object.contains(key) ? object[key] : json(nullptr);
}

// ResolveV2 resolves the path and insists on a KV v2 mount, which alone
// has metadata.
int ResolveV2(Invocation& inv, KvTarget* target) {
  if (int rc = ResolveKv(inv, target); rc != kExitOk) {
    return rc;
  }
  if (!target->v2()) {
    std::fprintf(stderr, "Metadata not supported on KV Version 1\n");
    return kExitUsage;
  }
  return kExitOk;
}

int RunGet(const std::vector<std::string>& args) {
  const CommandSpec spec{"Usage: coffer kv metadata get [options] PATH\n", {KvMountFlag()}, 1, 1};
  Invocation inv;
  if (int rc = kExitOk; !Begin(args, spec, &inv, &rc)) {
    return rc;
  }
  KvTarget target;
  if (int rc = ResolveV2(inv, &target); rc != kExitOk) {
    return rc;
  }
  const std::string path = target.ApiPath("metadata");
  auto secret = ReadSecret(*inv.client, "GET", EscapePath(path));
  if (!secret.ok()) {
    return PrintError("reading " + path, secret.status());
  }
  if (!secret->has_value()) {
    std::fprintf(stderr, "No value found at %s\n", path.c_str());
    return kExitUsage;
  }
  json body = **secret;
  if (inv.flags.Has("field") || OutputFormat(inv.flags) != "table" ||
      !Member(body, "wrap_info").is_null()) {
    return PrintSecret(inv.flags, body);
  }
  json data = Member(body, "data");
  const json versions = Member(data, "versions");
  if (!versions.is_object()) {
    std::fprintf(stderr, "No value found at %s\n", path.c_str());
    return kExitUsage;
  }
  data.erase("versions");
  body["data"] = data;
  PrintSecretPath("Metadata Path", path);
  PrintWarnings(body);
  std::printf("%s\n%s", HeaderForMap("Metadata", data).c_str(),
              KeyValueTable(SecretRows(body)).c_str());
  // Versions are keyed by number as strings; print them in numeric order.
  std::vector<std::pair<long long, std::string>> order;
  for (const auto& [k, v] : versions.items()) {
    try {
      order.emplace_back(std::stoll(k), k);
    } catch (const std::exception&) {
      std::fprintf(stderr, "Error parsing version %s\n", k.c_str());
      return kExitError;
    }
  }
  std::sort(order.begin(), order.end());
  for (const auto& [n, key] : order) {
    const json& v = versions[key];
    std::printf("\n%s\n%s",
                HeaderForMap("Version " + std::to_string(n), v).c_str(),
                KeyValueTable(MapRows(v)).c_str());
  }
  return kExitOk;
}

int RunPut(const std::vector<std::string>& args) {
  const CommandSpec spec{
      "Usage: coffer kv metadata put [options] PATH\n\n"
      "  Sets a KV v2 secret's metadata; only the flags given change.\n",
      {KvMountFlag(),
       {"max-versions", false, "How many versions to keep (0: the mount's setting)."},
       {"cas-required", true, "Require -cas on every write of this secret."},
       {"delete-version-after", false, "Delete versions this long after they are written."},
       {"custom-metadata", false, "A key=value pair to keep with the secret; repeatable.", true}},
      1,
      1};
  Invocation inv;
  if (int rc = kExitOk; !Begin(args, spec, &inv, &rc)) {
    return rc;
  }
  json body = json::object();
  auto max_versions = IntFlag(inv.flags, "max-versions");
  if (!max_versions.ok()) {
    return UsageError(max_versions.status().message(), spec);
  }
  if (*max_versions && **max_versions >= 0) {
    body["max_versions"] = **max_versions;
  }
  if (inv.flags.Has("cas-required")) {
    body["cas_required"] = inv.flags.GetBool("cas-required");
  }
  auto after = DurationFlag(inv.flags, "delete-version-after");
  if (!after.ok()) {
    return UsageError(after.status().message(), spec);
  }
  if (*after) {
    body["delete_version_after"] = std::to_string(**after) + "s";
  }
  const auto pairs = inv.flags.GetAll("custom-metadata");
  if (!pairs.empty()) {
    json custom = json::object();
    for (const auto& kv : pairs) {
      const size_t eq = kv.find('=');
      if (eq == std::string::npos) {
        return UsageError("invalid key/value pair \"" + kv + "\" for -custom-metadata", spec);
      }
      custom[kv.substr(0, eq)] = kv.substr(eq + 1);
    }
    body["custom_metadata"] = std::move(custom);
  }
  KvTarget target;
  if (int rc = ResolveV2(inv, &target); rc != kExitOk) {
    return rc;
  }
  const std::string path = target.ApiPath("metadata");
  auto written = WriteSecret(*inv.client, "PUT", EscapePath(path), body);
  if (!written.ok()) {
    return PrintError("writing data to " + path, written.status());
  }
  if (!written->has_value()) {
    if (OutputFormat(inv.flags) == "table") {
      std::printf("Success! Data written to: %s\n", path.c_str());
    }
    return kExitOk;
  }
  return PrintSecret(inv.flags, **written);
}

int RunDelete(const std::vector<std::string>& args) {
  const CommandSpec spec{"Usage: coffer kv metadata delete [options] PATH\n", {KvMountFlag()}, 1, 1};
  Invocation inv;
  if (int rc = kExitOk; !Begin(args, spec, &inv, &rc)) {
    return rc;
  }
  KvTarget target;
  if (int rc = ResolveV2(inv, &target); rc != kExitOk) {
    return rc;
  }
  const std::string path = target.ApiPath("metadata");
  auto deleted = WriteSecret(*inv.client, "DELETE", EscapePath(path), std::nullopt);
  if (!deleted.ok()) {
    return PrintError("deleting " + path, deleted.status());
  }
  std::printf("Success! Data deleted (if it existed) at: %s\n", path.c_str());
  return kExitOk;
}

}  // namespace

int RunKvMetadata(const std::vector<std::string>& args) {
  if (args.empty() || args[0] == "-h" || args[0] == "-help" || args[0] == "--help") {
    std::fprintf(args.empty() ? stderr : stdout, "%s", kMetadataUsage);
    return args.empty() ? kExitUsage : kExitOk;
  }
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  if (args[0] == "get") {
    return RunGet(rest);
  }
  if (args[0] == "put") {
    return RunPut(rest);
  }
  if (args[0] == "delete") {
    return RunDelete(rest);
  }
  std::fprintf(stderr, "Unknown kv metadata subcommand \"%s\"\n\n%s", args[0].c_str(),
               kMetadataUsage);
  return kExitUsage;
}

}  // namespace coffer::cli
