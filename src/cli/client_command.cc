#include "cli/client_command.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>

namespace coffer::cli {

std::vector<FlagSpec> ClientFlags() {
  return {
      {"address", false, "Address of the server (default: $VAULT_ADDR or https://127.0.0.1:8200)."},
      {"ca-cert", false, "PEM file of CA certificates to verify the server with ($VAULT_CACERT)."},
      {"tls-skip-verify", true, "Do not verify the server's certificate ($VAULT_SKIP_VERIFY)."},
      {"format", false, "Output format: table (default) or json."},
      {"field", false, "Print only this field's value."},
  };
}

std::vector<FlagSpec> WithClientFlags(std::vector<FlagSpec> specs) {
  for (auto& f : ClientFlags()) {
    specs.push_back(std::move(f));
  }
  return specs;
}

namespace {

std::string TokenHelperToken() {
  const char* home = std::getenv("HOME");
  if (home == nullptr) {
    return "";
  }
  std::ifstream in(std::string(home) + "/.vault-token");
  std::string token;
  std::getline(in, token);
  while (!token.empty() && (token.back() == '\n' || token.back() == '\r' || token.back() == ' ')) {
    token.pop_back();
  }
  return token;
}

}  // namespace

Result<std::unique_ptr<api::Client>> MakeClient(const ParsedFlags& flags) {
  COFFER_ASSIGN_OR_RETURN(api::ClientConfig config, api::ClientConfig::FromEnvironment());
  if (flags.Has("address")) {
    config.address = flags.Get("address");
  }
  if (flags.Has("ca-cert")) {
    config.ca_cert_file = flags.Get("ca-cert");
  }
  if (flags.GetBool("tls-skip-verify")) {
    config.tls_skip_verify = true;
  }
  if (config.token.empty()) {
    config.token = TokenHelperToken();
  }
  return api::Client::Create(std::move(config));
}

Result<api::Response> Call(api::Client& client, const std::string& method,
                           const std::string& path, const std::optional<nlohmann::json>& body) {
  COFFER_ASSIGN_OR_RETURN(api::Response response, client.Request(method, path, body));
  COFFER_RETURN_IF_ERROR(api::ErrorFromResponse(response));
  return response;
}

int PrintError(const std::string& what, const Status& status) {
  std::fprintf(stderr, "Error %s: %s\n", what.c_str(), status.message().c_str());
  return kExitError;
}

int Print(const ParsedFlags& flags, const Rows& rows, const nlohmann::json& json) {
  if (flags.Has("field")) {
    const std::string field = flags.Get("field");
    if (!json.is_object() || !json.contains(field)) {
      std::fprintf(stderr, "Field \"%s\" not present in secret\n", field.c_str());
      return kExitError;
    }
    std::printf("%s\n", FormatValue(json[field]).c_str());
    return kExitOk;
  }
  const std::string format = flags.Get("format", "table");
  if (format == "json") {
    std::printf("%s\n", json.dump(2).c_str());
    return kExitOk;
  }
  if (format != "table") {
    std::fprintf(stderr, "Invalid output format: %s (use table or json)\n", format.c_str());
    return kExitUsage;
  }
  std::printf("%s", FormatTable(rows).c_str());
  return kExitOk;
}

}  // namespace coffer::cli
