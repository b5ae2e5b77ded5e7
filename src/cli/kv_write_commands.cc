// `coffer kv put` and `coffer kv patch`.
#include <cstdio>
#include <iostream>

#include "cli/kv_args.h"
#include "cli/kv_commands.h"
#include "cli/secret_output.h"

namespace coffer::cli {

namespace {

using nlohmann::json;

json Member(const json& object, const char* key) {
  return object.is_object() && object.contains(key) ? object[key] : json(nullptr);
}

// KvV2Body wraps the data as KV v2 wants it, with -cas when given.
json KvV2Body(json data, const std::optional<int64_t>& cas) {
  json options = json::object();
  if (cas && *cas >= 0) {
    options["cas"] = *cas;
  }
  return json{{"data", std::move(data)}, {"options", std::move(options)}};
}

}  // namespace

int RunKvPut(const std::vector<std::string>& args) {
  const CommandSpec spec{
      "Usage: coffer kv put [options] PATH [K=V | K=@file | K=- | @file.json | -]...\n\n"
      "  Writes a secret, replacing what is there. On KV v2 this makes a new\n"
      "  version; -cas=N writes only if the current version is N (0: only if new).\n",
      {KvMountFlag(), {"cas", false, "Check-and-set: the version the secret must be at (KV v2)."}},
      1,
      SIZE_MAX};
  Invocation inv;
  if (int rc = kExitOk; !Begin(args, spec, &inv, &rc)) {
    return rc;
  }
  if (inv.args().size() == 1) {
    return UsageError("Must supply data", spec);
  }
  auto cas = IntFlag(inv.flags, "cas");
  if (!cas.ok()) {
    return UsageError(cas.status().message(), spec);
  }
  auto data = ParseArgsData({inv.args().begin() + 1, inv.args().end()}, std::cin);
  if (!data.ok()) {
    return UsageError("Failed to parse K=V data: " + data.status().message(), spec);
  }
  KvTarget target;
  if (int rc = ResolveKv(inv, &target); rc != kExitOk) {
    return rc;
  }
  const std::string path = target.ApiPath("data");
  const json body = target.v2() ? KvV2Body(std::move(*data), *cas) : std::move(*data);
  auto written = WriteSecret(*inv.client, "PUT", EscapePath(path), body);
  if (!written.ok()) {
    return PrintError("writing data to " + path, written.status());
  }
  return PrintKvWriteResult(inv, path, *written);
}

int RunKvPatch(const std::vector<std::string>& args) {
  const CommandSpec spec{
      "Usage: coffer kv patch [options] PATH [K=V | K=@file | K=- | @file.json | -]...\n\n"
      "  Updates some keys of a KV v2 secret, keeping the others: an HTTP PATCH\n"
      "  (JSON merge patch), or with -method=rw a read and a check-and-set write.\n",
      {KvMountFlag(),
       {"cas", false, "Check-and-set: the version the secret must be at."},
       {"method", false, "patch (default) or rw (read, then write)."}},
      1,
      SIZE_MAX};
  Invocation inv;
  if (int rc = kExitOk; !Begin(args, spec, &inv, &rc)) {
    return rc;
  }
  if (inv.args().size() == 1) {
    return UsageError("Must supply data", spec);
  }
  const std::string method = inv.flags.Get("method", "patch");
  if (method != "patch" && method != "rw") {
    return UsageError("Unsupported method provided to -method flag: " + method, spec);
  }
  auto cas = IntFlag(inv.flags, "cas");
  if (!cas.ok()) {
    return UsageError(cas.status().message(), spec);
  }
  auto data = ParseArgsData({inv.args().begin() + 1, inv.args().end()}, std::cin);
  if (!data.ok()) {
    return UsageError("Failed to parse K=V data: " + data.status().message(), spec);
  }
  KvTarget target;
  if (int rc = ResolveKv(inv, &target); rc != kExitOk) {
    return rc;
  }
  if (!target.v2()) {
    std::fprintf(stderr, "K/V engine mount must be version 2 for patch support\n");
    return kExitUsage;
  }
  const std::string path = target.ApiPath("data");
  if (method == "patch") {
    auto written = WriteSecret(*inv.client, "PATCH", EscapePath(path), KvV2Body(*data, *cas),
                               {{"Content-Type", "application/merge-patch+json"}});
    if (!written.ok()) {
      return PrintError("writing data to " + path, written.status());
    }
    return PrintKvWriteResult(inv, path, *written);
  }
  // -method=rw: read the current version, merge, and write it back with
  // check-and-set so a concurrent writer is not overwritten.
  auto current = ReadSecret(*inv.client, "GET", EscapePath(path));
  if (!current.ok()) {
    return PrintError("reading " + path, current.status());
  }
  const json existing = current->has_value() ? Member(Member(**current, "data"), "data")
                                             : json(nullptr);
  if (!existing.is_object()) {
    std::fprintf(stderr, "No value found at %s\n", path.c_str());
    return kExitUsage;
  }
  json merged = existing;
  for (auto& [k, v] : data->items()) {
    merged[k] = v;
  }
  std::optional<int64_t> version = *cas;
  if (!version) {
    const json v = Member(Member(Member(**current, "data"), "metadata"), "version");
    if (v.is_number_integer()) {
      version = v.get<int64_t>();
    }
  }
  auto written = WriteSecret(*inv.client, "PUT", EscapePath(path), KvV2Body(merged, version));
  if (!written.ok()) {
    return PrintError("writing data to " + path, written.status());
  }
  return PrintKvWriteResult(inv, path, *written);
}

}  // namespace coffer::cli
