// A throw-away PKI for TLS tests: a CA, a server certificate for 127.0.0.1
// and localhost, and a client certificate, made with the openssl CLI in a
// fresh temporary directory.
#pragma once

#include <string>

namespace coffer::http::testing {

struct TestPki {
  std::string dir;
  std::string ca_cert;
  std::string server_cert;
  std::string server_key;
  std::string client_cert;
  std::string client_key;
};

// MakeTestPki returns the file names, or an error message in `error`.
TestPki MakeTestPki(std::string* error);

// RemoveTestPki deletes the directory.
void RemoveTestPki(const TestPki& pki);

}  // namespace coffer::http::testing
