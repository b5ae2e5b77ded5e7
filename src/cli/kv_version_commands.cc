// `coffer kv delete|undelete|destroy`: soft-delete, restore and destroy
// secret versions.
#include <cstdio>

#include "cli/kv_commands.h"
#include "cli/secret_output.h"

namespace coffer::cli {

namespace {

using nlohmann::json;

FlagSpec VersionsFlag() {
  return {"versions", false, "Versions to act on, comma-separated or repeated (KV v2).", true};
}

// PrintDeleteResult prints what vault prints after a delete-like write.
int PrintDeleteResult(const Invocation& inv, const std::string& path,
                      const std::optional<json>& body, const char* done) {
  if (!body) {
    if (OutputFormat(inv.flags) == "table") {
      std::printf("Success! %s: %s\n", done, path.c_str());
    }
    return kExitOk;
  }
  return PrintSecret(inv.flags, *body);
}

// RunVersionWrite is undelete and destroy: a write of {"versions": [...]}
// to <mount>/<verb>/<path>.
int RunVersionWrite(const std::vector<std::string>& args, const std::string& verb,
                    const std::string& summary) {
  const CommandSpec spec{"Usage: coffer kv " + verb + " [options] -versions=N[,M...] PATH\n\n  " +
                             summary + "\n",
                         {KvMountFlag(), VersionsFlag()},
                         1,
                         1};
  Invocation inv;
  if (int rc = kExitOk; !Begin(args, spec, &inv, &rc)) {
    return rc;
  }
  auto versions = ParseVersions(inv.flags);
  if (!versions.ok()) {
    return UsageError(versions.status().message(), spec);
  }
  if (versions->empty()) {
    return UsageError("No versions provided, use the \"-versions\" flag to specify the version to " +
                          verb + ".",
                      spec);
  }
  KvTarget target;
  if (int rc = ResolveKv(inv, &target); rc != kExitOk) {
    return rc;
  }
  if (!target.v2()) {
    std::fprintf(stderr, "%s not supported on KV Version 1\n",
                 verb == "undelete" ? "Undelete" : "Destroy");
    return kExitUsage;
  }
  const std::string path = target.ApiPath(verb);
  auto written =
      WriteSecret(*inv.client, "PUT", EscapePath(path), json{{"versions", std::move(*versions)}});
  if (!written.ok()) {
    return PrintError("writing data to " + path, written.status());
  }
  return PrintDeleteResult(inv, path, *written, "Data written to");
}

}  // namespace

int RunKvDelete(const std::vector<std::string>& args) {
  const CommandSpec spec{
      "Usage: coffer kv delete [options] PATH\n\n"
      "  Deletes a secret; on KV v2 this soft-deletes the latest version, or\n"
      "  those given with -versions, which kv undelete can restore.\n",
      {KvMountFlag(), VersionsFlag()},
      1,
      1};
  Invocation inv;
  if (int rc = kExitOk; !Begin(args, spec, &inv, &rc)) {
    return rc;
  }
  auto versions = ParseVersions(inv.flags);
  if (!versions.ok()) {
    return UsageError(versions.status().message(), spec);
  }
  KvTarget target;
  if (int rc = ResolveKv(inv, &target); rc != kExitOk) {
    return rc;
  }
  const std::string data_path = target.ApiPath("data");
  Result<std::optional<json>> written = std::optional<json>();
  if (target.v2() && !versions->empty()) {
    written = WriteSecret(*inv.client, "PUT", EscapePath(target.ApiPath("delete")),
                          json{{"versions", std::move(*versions)}});
  } else {
    written = WriteSecret(*inv.client, "DELETE", EscapePath(data_path), std::nullopt);
  }
  if (!written.ok()) {
    return PrintError("deleting " + data_path, written.status());
  }
  return PrintDeleteResult(inv, data_path, *written, "Data deleted (if it existed) at");
}

int RunKvUndelete(const std::vector<std::string>& args) {
  return RunVersionWrite(args, "undelete",
                         "Restores soft-deleted versions of a KV v2 secret.");
}

int RunKvDestroy(const std::vector<std::string>& args) {
  return RunVersionWrite(args, "destroy",
                         "Permanently removes the data of versions of a KV v2 secret.");
}

}  // namespace coffer::cli
