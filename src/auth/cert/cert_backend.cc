#include "auth/cert/cert_backend.h"

#include <vector>

#include "auth/cert/cert_entry.h"
#include "auth/cert/paths.h"

namespace coffer::auth::cert {

namespace {

constexpr const char* kHelp = R"(
The "cert" credential provider allows authentication using
TLS client certificates. A client connects to Vault and uses
the "login" endpoint to generate a client token.

Trusted certificates are configured using the "certs/" endpoint
by a user with root access. A certificate authority can be trusted,
which permits all keys signed by it. Alternatively, self-signed
certificates can be trusted avoiding the need for a CA.
)";

Result<std::unique_ptr<core::Engine>> NewCert(const core::EngineConfig&) {
  COFFER_ASSIGN_OR_RETURN(std::unique_ptr<CertBackend> backend, CertBackend::Create());
  return std::unique_ptr<core::Engine>(std::move(backend));
}

}  // namespace

Result<std::unique_ptr<CertBackend>> CertBackend::Create() {
  auto locks = std::make_unique<core::framework::KeyLocks>();
  std::vector<core::framework::PathSpec> paths;
  paths.push_back(ConfigPath());
  paths.push_back(CertsListPath());
  paths.push_back(CertsPath(*locks));
  paths.push_back(LoginPath());
  COFFER_ASSIGN_OR_RETURN(
      std::unique_ptr<core::framework::FrameworkEngine> engine,
      core::framework::FrameworkEngine::Create("cert", std::move(paths), kHelp));
  return std::unique_ptr<CertBackend>(new CertBackend(std::move(locks), std::move(engine)));
}

std::string CertBackend::LoginAlias(const core::EngineRequest& request) const {
  return NormalizeCertName(paths().LoginAlias(request));
}

COFFER_REGISTER_ENGINE("cert", &NewCert);

}  // namespace coffer::auth::cert
