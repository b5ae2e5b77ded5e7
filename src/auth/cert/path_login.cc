// login (Vault's path_login.go): verifies the TLS client certificate the
// listener passed on against the trusted certificate roles and answers a
// LoginGrant for the first role that trusts the chain and whose
// constraints the leaf meets.
#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "auth/cert/cert_entry.h"
#include "auth/cert/paths.h"
#include "auth/cert/x509_chain.h"
#include "base/cidr.h"

namespace coffer::auth::cert {

namespace {

using core::EngineRequest;
using core::Operation;
using core::Response;
using core::framework::FieldData;
using core::framework::FieldType;
using core::framework::PathSpec;

// Vault's answers: one when no role trusts the certificate (or there is
// none), another when a role trusts it but its constraints refuse it.
Status NoTrustedChain() {
  return Status::InvalidArgument("invalid certificate or no client certificate supplied");
}
Status NoMatchingRole() {
  return Status::InvalidArgument(
      "no chain matching all constraints could be found for this login certificate");
}

struct NamedEntry {
  std::string name;
  CertEntry entry;
};

// CandidateRoles loads the named role, or every role sorted by name.
// A named role that does not exist yields no candidates.
Result<std::vector<NamedEntry>> CandidateRoles(storage::Backend& storage, const std::string& name) {
  std::vector<std::string> names;
  if (!name.empty()) {
    names.push_back(name);
  } else {
    Result<std::vector<std::string>> keys = storage.List(kCertFolder);
    if (!keys.ok() && !keys.status().IsNotFound()) {
      return keys.status();
    }
    if (keys.ok()) {
      names = std::move(*keys);
    }
    std::sort(names.begin(), names.end());
  }
  std::vector<NamedEntry> roles;
  for (std::string& role_name : names) {
    if (role_name.empty() || role_name.back() == '/') {
      continue;
    }
    COFFER_ASSIGN_OR_RETURN(std::optional<CertEntry> entry, ReadCert(storage, role_name));
    if (entry) {
      roles.push_back({std::move(role_name), std::move(*entry)});
    }
  }
  return roles;
}

Result<Response> HandleLogin(const EngineRequest& request, const FieldData& fields) {
  std::vector<X509Ptr> chain = ParsePemCertificates(request.client_cert_pem);
  if (chain.empty()) {
    return NoTrustedChain();
  }
  COFFER_ASSIGN_OR_RETURN(LeafInfo leaf, ReadLeafInfo(chain[0].get()));
  COFFER_ASSIGN_OR_RETURN(
      std::vector<NamedEntry> roles,
      CandidateRoles(*request.storage, NormalizeCertName(fields.GetString("name"))));

  const NamedEntry* matched = nullptr;
  bool trusted = false;
  for (const NamedEntry& role : roles) {
    std::vector<X509Ptr> anchors = ParsePemCertificates(role.entry.certificate);
    if (anchors.empty()) {
      continue;  // validated on write; a damaged entry trusts nothing
    }
    Status verified = VerifyChain(anchors, chain, request.clock->Now());
    if (verified.code() == Code::kInternal) {
      return verified;
    }
    if (!verified.ok()) {
      continue;
    }
    trusted = true;
    if (role.entry.Allows(leaf)) {
      matched = &role;
      break;
    }
  }
  if (matched == nullptr) {
    return trusted ? NoMatchingRole() : NoTrustedChain();
  }

  const CertEntry& entry = matched->entry;
  // As Vault's cert login, refuse the login itself from outside the bound
  // CIDRs; without a known address a bound role cannot log in.
  if (!entry.token.bound_cidrs.empty() &&
      (request.remote_address.empty() ||
       !AddressInAny(entry.token.bound_cidrs, request.remote_address))) {
    return Status::PermissionDenied("login from a disallowed address");
  }

  core::LoginGrant grant;
  grant.display_name = entry.display_name.empty() ? matched->name : entry.display_name;
  grant.metadata = {
      {"cert_name", matched->name},
      {"common_name", leaf.common_name},
      {"serial_number", leaf.serial_number},
      {"subject_key_id", leaf.subject_key_id},
      {"authority_key_id", leaf.authority_key_id},
  };
  grant.token = entry.token;
  grant.renewable = true;
  Response response;
  response.login = std::move(grant);
  return response;
}

}  // namespace

PathSpec LoginPath() {
  PathSpec spec;
  spec.pattern = "login";
  spec.fields = {
      {"name",
       {FieldType::kString, {}, false,
        "The name of the certificate role to authenticate against."}},
  };
  spec.operations = {{Operation::kUpdate, HandleLogin}};
  spec.login = true;
  spec.login_alias_field = "name";
  spec.help_synopsis = "Log in with a TLS client certificate.";
  spec.help_description =
      "This endpoint authenticates using the TLS client certificate of the connection.";
  return spec;
}

}  // namespace coffer::auth::cert
