// The parts of an HTTP exchange that the Vault API cares about, copied out
// of Beast's message types so that decoding, dispatch and encoding are plain
// C++ (testable without sockets, and compiled without Boost).
#pragma once

#include <string>

namespace coffer::http {

struct WireRequest {
  std::string method;  // as sent, e.g. "GET", "LIST"
  std::string target;  // request-target, e.g. "/v1/secret/foo?list=true"
  std::string x_vault_token;
  std::string authorization;
  std::string x_vault_wrap_ttl;
  std::string body;
  std::string remote_address;  // ip only
  std::string client_cert_pem;  // the TLS client's certificate chain, leaf first
};

struct WireResponse {
  int status = 200;
  // Empty for 204. For HEAD requests the connection sends the headers that
  // this body implies but not the body itself.
  std::string body;
  std::string content_type = "application/json";
};

}  // namespace coffer::http
