// CertEntry: one trusted certificate role of the cert auth method (Vault's
// builtin/credential/cert CertEntry), stored at "cert/<name>" in the
// mount's view with the name lower-cased, and the constraints a login's
// leaf certificate must meet.
//
// Storage format (one JSON object per role):
//
//   {"certificate": "-----BEGIN CERTIFICATE-----...",  // CA(s) or a leaf
//    "display_name": "web",
//    "allowed_names": [],                                // globs
//    "allowed_common_names": ["*.example.com"],          // globs
//    "allowed_dns_sans": [], "allowed_email_sans": [], "allowed_uri_sans": [],
//    "token": {...}}                                     // TokenParams::ToStored
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "auth/cert/x509_chain.h"
#include "base/status.h"
#include "core/login.h"
#include "storage/backend.h"

namespace coffer::auth::cert {

inline constexpr std::string_view kCertFolder = "cert/";

struct CertEntry {
  std::string certificate;
  std::string display_name;
  // Deprecated in Vault: globs any of the CN, DNS SANs or email SANs may
  // match.
  std::vector<std::string> allowed_names;
  std::vector<std::string> allowed_common_names;
  std::vector<std::string> allowed_dns_sans;
  std::vector<std::string> allowed_email_sans;
  std::vector<std::string> allowed_uri_sans;
  core::TokenParams token;

  // Allows tells whether `leaf` meets every allowed_* constraint: an empty
  // list allows anything; otherwise the CN, or one of the SANs of that
  // kind, must match one of the globs. DNS names compare case-insensitively.
  bool Allows(const LeafInfo& leaf) const;

  nlohmann::json ToStored() const;
  // FromStored reads what ToStored wrote; Corruption on a malformed entry.
  static Result<CertEntry> FromStored(const nlohmann::json& stored);
  // ToResponseData is what a read of certs/<name> shows.
  nlohmann::json ToResponseData() const;
};

// ValidateCertificate is what a write checks of `certificate`: at least
// one PEM certificate, and a leaf (non-CA) first certificate must allow
// TLS client authentication. InvalidArgument with Vault's wording.
Status ValidateCertificate(std::string_view certificate);

// Glob is Vault's glob.Glob (ryanuber/go-glob): '*' matches any run of
// characters, anywhere and any number of times; no other metacharacters.
bool Glob(std::string_view pattern, std::string_view subject);

// NormalizeCertName lower-cases ASCII letters, as Vault does.
std::string NormalizeCertName(std::string_view name);

std::string CertKey(std::string_view normalized_name);

// ReadCert loads a role by normalized name; nullopt when there is none.
Result<std::optional<CertEntry>> ReadCert(storage::Backend& storage,
                                          std::string_view normalized_name);
Status WriteCert(storage::Backend& storage, std::string_view normalized_name,
                 const CertEntry& entry);

}  // namespace coffer::auth::cert
