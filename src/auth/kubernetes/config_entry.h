// ConfigEntry: the kubernetes auth method's connection to the cluster, as
// stored at "config" in the mount's view (Vault's path_config.go).
//
// Storage format (one JSON object):
//
//   {"kubernetes_host": "https://10.0.0.1:6443",
//    "kubernetes_ca_cert": "-----BEGIN CERTIFICATE-----...",  // "" if unset
//    "token_reviewer_jwt": "eyJ...",                          // "" if unset
//    "pem_keys": ["-----BEGIN PUBLIC KEY-----..."],
//    "issuer": "", "disable_iss_validation": true,
//    "disable_local_ca_jwt": false}
//
// The reviewer JWT is kept (behind the barrier, as Vault keeps it) but never
// shown by a read.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/status.h"
#include "storage/backend.h"

namespace coffer::auth::kubernetes {

inline constexpr std::string_view kConfigKey = "config";

// Where a pod finds its own service account's CA and token.
inline constexpr std::string_view kLocalServiceAccountDir =
    "/var/run/secrets/kubernetes.io/serviceaccount";

struct ConfigEntry {
  std::string kubernetes_host;
  std::string kubernetes_ca_cert;
  std::string token_reviewer_jwt;
  std::vector<std::string> pem_keys;
  std::string issuer;
  bool disable_iss_validation = true;
  bool disable_local_ca_jwt = false;

  nlohmann::json ToStored() const;
  // FromStored reads what ToStored wrote; Corruption on a malformed entry.
  static Result<ConfigEntry> FromStored(const nlohmann::json& stored);
  // ToResponseData is what a read shows: everything but the reviewer JWT.
  nlohmann::json ToResponseData() const;
};

// ValidateHost accepts "http(s)://host[:port][/prefix]"; InvalidArgument
// otherwise ("no host provided" when empty).
Status ValidateHost(const std::string& host);

// ValidateCaCert accepts a PEM bundle of one or more certificates.
Status ValidateCaCert(const std::string& pem);

// ValidatePemKey accepts one PEM public key or certificate.
Status ValidatePemKey(const std::string& pem);

// ReadConfig loads the config; nullopt when none was written.
Result<std::optional<ConfigEntry>> ReadConfig(storage::Backend& storage);
Status WriteConfig(storage::Backend& storage, const ConfigEntry& config);

// LocalServiceAccount is what a pod's own service account offers: its CA
// ("ca.crt") and token ("token") under `dir`; empty strings for files that
// are absent or unreadable.
struct LocalServiceAccount {
  std::string ca_cert;
  std::string token;
};
LocalServiceAccount ReadLocalServiceAccount(const std::string& dir);

}  // namespace coffer::auth::kubernetes
