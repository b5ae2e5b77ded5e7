// MountEntry and MountTable: what is mounted where, persisted through the
// barrier at core/mounts (secrets engines) and core/auth (auth methods).
// Each mount has a UUID that names its storage (logical/<uuid>/) and its
// KEK domain, so moving a mount (sys/remount) moves no data.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/status.h"
#include "core/lockout.h"

namespace coffer::core {

struct MountEntry {
  std::string path;  // "secret/", always with a trailing slash
  std::string type;  // "kv", "cubbyhole", "system", "token", ...
  std::string description;
  std::string uuid;
  std::string accessor;  // "kv_1a2b3c4d"
  std::map<std::string, std::string> options;
  int64_t default_lease_ttl = 0;  // seconds; 0 = the system default
  int64_t max_lease_ttl = 0;
  bool local = false;
  bool seal_wrap = false;
  bool external_entropy_access = false;
  std::vector<std::string> audit_non_hmac_request_keys;
  std::vector<std::string> audit_non_hmac_response_keys;
  std::string listing_visibility;
  std::vector<std::string> passthrough_request_headers;
  std::vector<std::string> allowed_response_headers;
  int64_t created_unix = 0;
  // Auth mounts: login lockout (tune's user_lockout_config).
  LockoutConfig user_lockout;

  // StoragePrefix is the mount's storage view: "logical/<uuid>/".
  std::string StoragePrefix() const { return "logical/" + uuid + "/"; }

  nlohmann::json ToStored() const;
  static Result<MountEntry> FromStored(const nlohmann::json& j);
};

// The persisted form of a table: {"entries": [...]}.
std::string EncodeMountTable(const std::vector<MountEntry>& entries);
Result<std::vector<MountEntry>> DecodeMountTable(std::string_view bytes);

// NormalizeMountPath trims slashes and adds one at the end; InvalidArgument
// for an empty path, "..", or characters a path may not hold.
Result<std::string> NormalizeMountPath(std::string_view path);

}  // namespace coffer::core
