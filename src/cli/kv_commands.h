// `coffer kv put|get|patch|delete|undelete|destroy|list|metadata ...`, the
// vault CLI's KV verbs. Each takes a full path whose first segments are
// the mount ("secret/foo") or -mount=M with a path inside the mount; KV v2
// mounts get data/, metadata/, delete/, undelete/ or destroy/ inserted
// (kv_paths.h).
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/command_util.h"
#include "cli/kv_paths.h"

namespace coffer::cli {

int RunKv(const std::vector<std::string>& args);

// The verbs, one per function; `args` follow the verb.
int RunKvGet(const std::vector<std::string>& args);
int RunKvList(const std::vector<std::string>& args);
int RunKvPut(const std::vector<std::string>& args);
int RunKvPatch(const std::vector<std::string>& args);
int RunKvDelete(const std::vector<std::string>& args);
int RunKvUndelete(const std::vector<std::string>& args);
int RunKvDestroy(const std::vector<std::string>& args);
int RunKvMetadata(const std::vector<std::string>& args);

// Shared by the kv verbs.

// KvMountFlag is -mount.
FlagSpec KvMountFlag();

// ResolveKv resolves the path argument of `inv` (or "" when only -mount is
// given) into `target`; prints the error and returns its exit code if the
// mount cannot be determined.
int ResolveKv(Invocation& inv, KvTarget* target);

// PrintSecretPath prints vault's "== Secret Path ==" style section title
// and the path.
void PrintSecretPath(const std::string& title, const std::string& path);

// PrintKvWriteResult prints what kv put and patch print: "Success!" for an
// empty answer, else -field, JSON, or the path and the new version's
// metadata.
int PrintKvWriteResult(const Invocation& inv, const std::string& path,
                       const std::optional<nlohmann::json>& body);

// ParseVersions reads -versions (repeatable, comma-separated) as integers.
Result<nlohmann::json> ParseVersions(const ParsedFlags& flags);

}  // namespace coffer::cli
