#include "cli/kv_commands.h"

#include <cstdint>
#include <cstdio>

#include "cli/secret_output.h"

namespace coffer::cli {

namespace {

using nlohmann::json;

constexpr const char* kKvUsage =
    "Usage: coffer kv <subcommand> [options] [args]\n\n"
    "    get         Read a secret (-version=N for a KV v2 version)\n"
    "    put         Write a secret: PATH K=V ... (-cas=N on KV v2)\n"
    "    patch       Update some keys of a KV v2 secret\n"
    "    delete      Delete the latest version, or -versions=1,2\n"
    "    undelete    Restore deleted versions (-versions=...)\n"
    "    destroy     Permanently destroy versions (-versions=...)\n"
    "    list        List the keys under a path\n"
    "    metadata    get|put|delete a KV v2 secret's metadata\n\n"
    "A path is the mount and the secret (\"secret/foo\"), or -mount=secret and \"foo\".\n";

json Member(const json& object, const char* key) {
  return object.is_object() && object.contains(key) ? object[key] : json(nullptr);
}

}  // namespace

FlagSpec KvMountFlag() {
  return {"mount", false,
          "The mount of the KV engine; the argument is then a path inside it (secret/data/ "
          "is inserted for KV v2)."};
}

int ResolveKv(Invocation& inv, KvTarget* target) {
  const std::string arg = inv.args().empty() ? "" : inv.args()[0];
  auto resolved = ResolveKvTarget(*inv.client, inv.flags.Get("mount"), arg);
  if (!resolved.ok()) {
    return PrintError("determining the KV version of " + arg, resolved.status());
  }
  *target = std::move(*resolved);
  return kExitOk;
}

void PrintSecretPath(const std::string& title, const std::string& path) {
  std::printf("%s\n%s\n\n", PadEqualSigns(title, path.size()).c_str(), path.c_str());
}

int PrintKvWriteResult(const Invocation& inv, const std::string& path,
                       const std::optional<json>& body) {
  if (!body) {
    if (OutputFormat(inv.flags) == "table") {
      std::printf("Success! Data written to: %s\n", path.c_str());
    }
    return kExitOk;
  }
  const json wrap = Member(*body, "wrap_info");
  if (inv.flags.Has("field") || OutputFormat(inv.flags) != "table" ||
      (wrap.is_object() && Member(wrap, "ttl") != json(0))) {
    return PrintSecret(inv.flags, *body);
  }
  PrintWarnings(*body);
  const json metadata = Member(*body, "data");
  PrintSecretPath("Secret Path", path);
  std::printf("%s\n%s", HeaderForMap("Metadata", metadata).c_str(),
              KeyValueTable(MapRows(metadata)).c_str());
  return kExitOk;
}

Result<json> ParseVersions(const ParsedFlags& flags) {
  json versions = json::array();
  for (const auto& v : SplitCommaList(flags.GetAll("versions"))) {
    int64_t n = 0;
    try {
      size_t used = 0;
      n = std::stoll(v, &used);
      if (used != v.size() || n < 0) {
        throw std::invalid_argument(v);
      }
    } catch (const std::exception&) {
      return Status::InvalidArgument("invalid version \"" + v + "\" in -versions");
    }
    versions.push_back(n);
  }
  return versions;
}

int RunKv(const std::vector<std::string>& args) {
  if (args.empty() || args[0] == "-h" || args[0] == "-help" || args[0] == "--help") {
    std::fprintf(args.empty() ? stderr : stdout, "%s", kKvUsage);
    return args.empty() ? kExitUsage : kExitOk;
  }
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  const std::string& verb = args[0];
  if (verb == "get") {
    return RunKvGet(rest);
  }
  if (verb == "put") {
    return RunKvPut(rest);
  }
  if (verb == "patch") {
    return RunKvPatch(rest);
  }
  if (verb == "delete") {
    return RunKvDelete(rest);
  }
  if (verb == "undelete") {
    return RunKvUndelete(rest);
  }
  if (verb == "destroy") {
    return RunKvDestroy(rest);
  }
  if (verb == "list") {
    return RunKvList(rest);
  }
  if (verb == "metadata") {
    return RunKvMetadata(rest);
  }
  std::fprintf(stderr, "Unknown kv subcommand \"%s\"\n\n%s", verb.c_str(), kKvUsage);
  return kExitUsage;
}

int RunKvGet(const std::vector<std::string>& args) {
  const CommandSpec spec{
      "Usage: coffer kv get [options] PATH\n\n"
      "  Reads a secret; for KV v2, -version=N reads an older version.\n",
      {KvMountFlag(), {"version", false, "The version to read (KV v2); default the latest."}},
      1,
      1};
  Invocation inv;
  if (int rc = kExitOk; !Begin(args, spec, &inv, &rc)) {
    return rc;
  }
  auto version = IntFlag(inv.flags, "version");
  if (!version.ok()) {
    return UsageError(version.status().message(), spec);
  }
  KvTarget target;
  if (int rc = ResolveKv(inv, &target); rc != kExitOk) {
    return rc;
  }
  const std::string path = target.ApiPath("data");
  std::string query;
  if (target.v2() && version->has_value() && **version > 0) {
    query = "?version=" + std::to_string(**version);
  }
  auto secret = ReadSecret(*inv.client, "GET", EscapePath(path) + query);
  if (!secret.ok()) {
    return PrintError("reading " + path, secret.status());
  }
  if (!secret->has_value()) {
    std::fprintf(stderr, "No value found at %s\n", path.c_str());
    return kExitUsage;
  }
  const json& body = **secret;
  if (inv.flags.Has("field")) {
    const std::string field = inv.flags.Get("field");
    if (!target.v2()) {
      return PrintFieldValue(inv.flags, field, RawField(body, field));
    }
    const json data = Member(Member(body, "data"), "data");
    if (data.is_null()) {
      std::fprintf(stderr, "No data found at %s\n", path.c_str());
      return kExitUsage;
    }
    // "-field=data" is a key named data if the secret has one, else the
    // whole data map.
    if (field == "data" && !(data.is_object() && data.contains("data"))) {
      return PrintFieldValue(inv.flags, field, data);
    }
    return PrintFieldValue(inv.flags, field, Member(data, field.c_str()));
  }
  if (OutputFormat(inv.flags) != "table" || !Member(body, "wrap_info").is_null()) {
    return PrintSecret(inv.flags, body);
  }
  PrintWarnings(body);
  if (target.v2()) {
    PrintSecretPath("Secret Path", path);
  }
  const json metadata = Member(Member(body, "data"), "metadata");
  if (!metadata.is_null()) {
    std::printf("%s\n%s\n", HeaderForMap("Metadata", metadata).c_str(),
                KeyValueTable(MapRows(metadata)).c_str());
  }
  const json data = target.v2() ? Member(Member(body, "data"), "data") : Member(body, "data");
  if (!data.is_null()) {
    std::printf("%s\n%s", HeaderForMap("Data", data).c_str(), KeyValueTable(MapRows(data)).c_str());
  }
  return kExitOk;
}

int RunKvList(const std::vector<std::string>& args) {
  const CommandSpec spec{
      "Usage: coffer kv list [options] PATH\n\n"
      "  Lists the keys under a path; folders end in \"/\".\n",
      {KvMountFlag()},
      0,
      1};
  Invocation inv;
  if (int rc = kExitOk; !Begin(args, spec, &inv, &rc)) {
    return rc;
  }
  if (inv.args().empty() && !inv.flags.Has("mount")) {
    return UsageError("Not enough arguments (expected 1, got 0)", spec);
  }
  KvTarget target;
  if (int rc = ResolveKv(inv, &target); rc != kExitOk) {
    return rc;
  }
  const std::string path = target.ApiPath("metadata");
  auto secret = ReadSecret(*inv.client, "LIST", EscapePath(ListPath(path)));
  if (!secret.ok()) {
    return PrintError("listing " + path, secret.status());
  }
  return PrintListResponse(inv.flags, path, *secret);
}

}  // namespace coffer::cli
