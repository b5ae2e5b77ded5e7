// The server's configuration file (Vault-style HCL, or JSON), parsed and
// validated. Durations are stored in seconds.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"

namespace coffer::config {

struct ListenerConfig {
  std::string type = "tcp";
  std::string address = "127.0.0.1:8200";
  bool tls_disable = false;
  std::string tls_cert_file;
  std::string tls_key_file;
  std::string tls_min_version = "tls13";  // "tls12" or "tls13"
  std::string tls_client_ca_file;
  bool tls_require_and_verify_client_cert = false;
  uint64_t max_request_size = 32ull * 1024 * 1024 / 64;  // 512 KiB; 0 or less = default
};

struct StorageConfig {
  std::string type;                           // "lmdb", "inmem", ...
  std::map<std::string, std::string> params;  // e.g. path
};

struct ServerConfig {
  StorageConfig storage;
  std::vector<ListenerConfig> listeners;
  std::string api_addr;
  bool disable_mlock = false;
  int64_t default_lease_ttl = 32 * 24 * 3600;  // Vault: 768h
  int64_t max_lease_ttl = 32 * 24 * 3600;
  std::string log_level = "info";  // trace, debug, info, warn, error
};

// LoadServerConfig reads `path` (HCL, or JSON when the file ends in .json or
// starts with '{') and validates it. Errors are InvalidArgument with a message
// of the form "<file>:<line>: <what is wrong>" that names the key.
Result<ServerConfig> LoadServerConfig(const std::string& path);

// ParseServerConfig is LoadServerConfig over text already read; `filename`
// is used in messages only.
Result<ServerConfig> ParseServerConfig(const std::string& text, const std::string& filename);

// ParseDuration parses Vault durations: an integer number of seconds, or a
// sequence like "1h30m", "10s", "768h", "1d" (units ns..h, d). Fails on
// negative or malformed input.
Result<int64_t> ParseDurationSeconds(const std::string& text);

}  // namespace coffer::config
