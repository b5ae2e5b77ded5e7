// api::Client: a small synchronous client of coffer's (and Vault's) HTTP API,
// used by the CLI and the agent. It keeps one keep-alive connection open
// between requests. Boost stays out of this header.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/status.h"

namespace coffer::api {

struct ClientConfig {
  // "http://host:port" or "https://host:port" (VAULT_ADDR). Without a port,
  // 80 or 443.
  std::string address = "https://127.0.0.1:8200";
  std::string ca_cert_file;      // VAULT_CACERT: PEM bundle of trusted CAs
  std::string ca_path;           // VAULT_CAPATH: directory of hashed CA certs
  // Trusted CAs given inline as a PEM bundle (an auth method's configured
  // CA); when set without a file or path, the system store is not used.
  std::string ca_cert_pem;
  std::string client_cert_file;  // VAULT_CLIENT_CERT, for mutual TLS
  std::string client_key_file;   // VAULT_CLIENT_KEY
  bool tls_skip_verify = false;  // VAULT_SKIP_VERIFY: trust any server
  std::string tls_server_name;   // VAULT_TLS_SERVER_NAME: SNI and name to verify
  std::string token;             // VAULT_TOKEN: sent as X-Vault-Token
  std::string namespace_name;    // VAULT_NAMESPACE: sent as X-Vault-Namespace
  // Bounds connecting, the TLS handshake, sending the request and reading
  // the response, each.
  std::chrono::seconds timeout{60};

  // FromEnvironment starts from the defaults above and applies the VAULT_*
  // variables named beside each field (and VAULT_CLIENT_TIMEOUT, seconds).
  // Fails with InvalidArgument naming a variable that does not parse.
  static Result<ClientConfig> FromEnvironment();
};

struct Response {
  int status = 0;
  // The parsed JSON body; null for 204, an empty body, or a body that is not
  // JSON (whose text is still in raw_body).
  nlohmann::json body;
  std::string raw_body;
  std::map<std::string, std::string> headers;  // names in lower case
  // What was asked, for error messages: "GET", "http://host:port/v1/...".
  std::string method;
  std::string url;
};

using Headers = std::vector<std::pair<std::string, std::string>>;

// Client is not thread-safe: use one per thread.
class Client {
 public:
  // Create checks the address and loads the TLS files (CA, client cert);
  // InvalidArgument for a bad address, IOError for an unusable file. It does
  // not connect.
  static Result<std::unique_ptr<Client>> Create(ClientConfig config);
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  const ClientConfig& config() const;
  // SetToken replaces the token sent with later requests (after a login).
  void SetToken(std::string token);

  // Request sends `method` ("GET", "LIST", "POST", ...) to /v1/`path`; `path`
  // may carry a query string ("secret/?list=true") and should already be
  // URL-encoded. `body`, when given, is sent as JSON. Any HTTP status is a
  // successful Result (see ErrorFromResponse); a failure means no response:
  // Unavailable for connection, TLS and timeout errors.
  Result<Response> Request(const std::string& method, const std::string& path,
                           const std::optional<nlohmann::json>& body = std::nullopt,
                           const Headers& headers = {});

  // RequestTarget is Request with the whole request-target ("/v1/sys/health",
  // "/ui/") and a body sent as given.
  Result<Response> RequestTarget(const std::string& method, const std::string& target,
                                 const std::optional<std::string>& body = std::nullopt,
                                 const Headers& headers = {});

 private:
  struct Impl;
  explicit Client(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// ErrorMessages returns the strings of the body's "errors" array, if any.
std::vector<std::string> ErrorMessages(const Response& response);

// ErrorFromResponse is OK for a 1xx-3xx status. Otherwise it returns a Status
// whose code follows the HTTP status (400 InvalidArgument, 403
// PermissionDenied, 404 NotFound, 405 Unsupported, 413 TooLarge, 429
// Standby, 501 NotInitialized, 503 Sealed or Unavailable, else Internal) and
// whose message reads like Vault's CLI:
//   Error making API request.
//
//   URL: GET http://127.0.0.1:8200/v1/secret/foo
//   Code: 403. Errors:
//
//   * permission denied
Status ErrorFromResponse(const Response& response);

}  // namespace coffer::api
