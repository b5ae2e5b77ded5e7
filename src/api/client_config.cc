// ClientConfig::FromEnvironment (declared in client.h).
#include <cstdlib>

#include "api/client.h"

namespace coffer::api {

namespace {

std::optional<std::string> Env(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0') {
    return std::nullopt;
  }
  return std::string(value);
}

// ParseBool accepts what Go's strconv.ParseBool does, as the vault CLI.
std::optional<bool> ParseBool(const std::string& s) {
  if (s == "1" || s == "t" || s == "T" || s == "true" || s == "TRUE" || s == "True") {
    return true;
  }
  if (s == "0" || s == "f" || s == "F" || s == "false" || s == "FALSE" || s == "False") {
    return false;
  }
  return std::nullopt;
}

}  // namespace

Result<ClientConfig> ClientConfig::FromEnvironment() {
  ClientConfig config;
  auto set = [](const char* name, std::string& field) {
    if (std::optional<std::string> v = Env(name)) {
      field = *v;
    }
  };
  set("VAULT_ADDR", config.address);
  set("VAULT_CACERT", config.ca_cert_file);
  set("VAULT_CAPATH", config.ca_path);
  set("VAULT_CLIENT_CERT", config.client_cert_file);
  set("VAULT_CLIENT_KEY", config.client_key_file);
  set("VAULT_TLS_SERVER_NAME", config.tls_server_name);
  set("VAULT_TOKEN", config.token);
  set("VAULT_NAMESPACE", config.namespace_name);
  if (std::optional<std::string> v = Env("VAULT_SKIP_VERIFY")) {
    std::optional<bool> skip = ParseBool(*v);
    if (!skip) {
      return Status::InvalidArgument("VAULT_SKIP_VERIFY: not a boolean");
    }
    config.tls_skip_verify = *skip;
  }
  if (std::optional<std::string> v = Env("VAULT_CLIENT_TIMEOUT")) {
    if (v->size() > 9 || v->find_first_not_of("0123456789") != std::string::npos) {
      return Status::InvalidArgument("VAULT_CLIENT_TIMEOUT: expected a number of seconds");
    }
    config.timeout = std::chrono::seconds(std::stol(*v));
  }
  return config;
}

}  // namespace coffer::api
