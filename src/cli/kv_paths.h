// Where a `coffer kv` command sends its request. As the vault CLI does, it
// asks the server which mount holds the path and whether that mount is KV
// version 2 (GET sys/internal/ui/mounts/<path>, falling back to the
// longest prefix in GET sys/mounts when that endpoint is missing), then
// inserts data/, metadata/, delete/, undelete/ or destroy/ after the mount
// for v2. The path arithmetic is pure and unit-tested.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "api/client.h"
#include "base/status.h"

namespace coffer::cli {

struct KvMount {
  std::string path;  // as the server names it, "secret/"; "" when unknown
  int version = 1;
};

// PathJoin joins the non-empty parts with '/' and cleans the result as Go's
// path.Join does (no doubled or trailing slashes, "." and ".." resolved).
std::string PathJoin(const std::string& a, const std::string& b, const std::string& c = "");

// KvMountFromUiMounts reads a sys/internal/ui/mounts/<path> response.
KvMount KvMountFromUiMounts(const nlohmann::json& body);

// KvMountFromMountTable finds the mount of `path` in a sys/mounts response
// by longest prefix; nullopt when no mount holds it.
std::optional<KvMount> KvMountFromMountTable(const nlohmann::json& body, const std::string& path);

// AddPrefixToKvPath inserts `prefix` after the mount: ("secret/foo",
// "secret/", "data") -> "secret/data/foo"; the mount alone gives
// "secret/data".
std::string AddPrefixToKvPath(const std::string& path, const std::string& mount,
                              const std::string& prefix);

// KvTarget is a kv command's path argument resolved against its mount.
struct KvTarget {
  KvMount mount;
  std::string partial;      // the sanitized argument, joined under -mount for v2
  bool mount_flag = false;  // given as -mount=M PATH

  bool v2() const { return mount.version == 2; }
  // ApiPath is the request path: v2 inserts `prefix`; v1 ignores it.
  std::string ApiPath(const std::string& prefix) const;
};

// MakeKvTarget resolves `arg` (and -mount's value, "" when absent) against
// an already detected mount; pure, for tests.
KvTarget MakeKvTarget(const std::string& mount_flag, const std::string& arg, const KvMount& mount);

// DetectKvMount asks the server which mount holds `path` and its version.
Result<KvMount> DetectKvMount(api::Client& client, const std::string& path);

// ResolveKvTarget is DetectKvMount (on -mount's value when given, else on
// `arg`) followed by MakeKvTarget.
Result<KvTarget> ResolveKvTarget(api::Client& client, const std::string& mount_flag,
                                 const std::string& arg);

}  // namespace coffer::cli
