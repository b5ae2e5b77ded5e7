#include "test_pki.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace coffer::http::testing {

namespace {

bool Run(const std::string& command, std::string* error) {
  if (std::system((command + " >/dev/null 2>&1").c_str()) != 0) {
    *error = "command failed: " + command;
    return false;
  }
  return true;
}

// IssueLeaf makes a key, a CSR and a certificate signed by the CA.
bool IssueLeaf(const std::string& dir, const std::string& name, const std::string& extensions,
               std::string* error) {
  std::string base = dir + "/" + name;
  std::ofstream(base + ".ext") << extensions;
  return Run("openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout " + base +
                 ".key -out " + base + ".csr -subj /CN=" + name,
             error) &&
         Run("openssl x509 -req -in " + base + ".csr -CA " + dir + "/ca.pem -CAkey " + dir +
                 "/ca.key -CAcreateserial -days 2 -out " + base + ".pem -extfile " + base + ".ext",
             error);
}

}  // namespace

TestPki MakeTestPki(std::string* error) {
  TestPki pki;
  std::string pattern =
      (std::filesystem::temp_directory_path() / "coffer-http-tls-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) {
    *error = "mkdtemp failed";
    return pki;
  }
  pki.dir = pattern;
  if (!Run("openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout " +
               pki.dir + "/ca.key -out " + pki.dir + "/ca.pem -days 2 -subj /CN=coffer-test-ca",
           error) ||
      !IssueLeaf(pki.dir, "server",
                 "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n",
                 error) ||
      !IssueLeaf(pki.dir, "client", "extendedKeyUsage=clientAuth\n", error)) {
    return pki;
  }
  pki.ca_cert = pki.dir + "/ca.pem";
  pki.server_cert = pki.dir + "/server.pem";
  pki.server_key = pki.dir + "/server.key";
  pki.client_cert = pki.dir + "/client.pem";
  pki.client_key = pki.dir + "/client.key";
  return pki;
}

void RemoveTestPki(const TestPki& pki) {
  std::error_code ignored;
  if (!pki.dir.empty()) {
    std::filesystem::remove_all(pki.dir, ignored);
  }
}

}  // namespace coffer::http::testing
