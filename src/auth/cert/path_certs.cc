// certs/<name> (create, update, read, delete) and LIST certs (Vault's
// path_certs.go). An update changes only the fields the request gives.
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <vector>

#include "auth/cert/cert_entry.h"
#include "auth/cert/paths.h"
#include "core/framework/json_util.h"
#include "core/framework/path_pattern.h"
#include "core/framework/response_util.h"
#include "core/framework/token_fields.h"

namespace coffer::auth::cert {

namespace {

using core::EngineRequest;
using core::Operation;
using core::Response;
using core::framework::FieldData;
using core::framework::FieldType;
using core::framework::KeyLocks;
using core::framework::PathSpec;

constexpr const char* kCertsHelpSynopsis = "Manage trusted certificates used for authentication.";
constexpr const char* kCertsHelpDescription = R"(
This endpoint allows you to create, read, update, and delete trusted certificates
that are allowed to authenticate.

Deleting a certificate will not revoke auth for prior authenticated connections.
To do this, do a revoke on "login". If you don't need to revoke login immediately,
then the next renew will cause the lease to expire.
)";

// Constraints Vault has that coffer does not check yet. Accepting them
// silently would let more certificates in than the operator meant, so a
// non-empty value is refused.
constexpr const char* kUnsupportedConstraints[] = {
    "allowed_organizational_units", "required_extensions", "allowed_metadata_extensions"};

// The allowed_* lists a write may set, all globs.
constexpr const char* kAllowedLists[] = {"allowed_names", "allowed_common_names",
                                         "allowed_dns_sans", "allowed_email_sans",
                                         "allowed_uri_sans"};

std::vector<std::string>* AllowedList(CertEntry& entry, std::string_view field) {
  if (field == "allowed_names") {
    return &entry.allowed_names;
  }
  if (field == "allowed_common_names") {
    return &entry.allowed_common_names;
  }
  if (field == "allowed_dns_sans") {
    return &entry.allowed_dns_sans;
  }
  if (field == "allowed_email_sans") {
    return &entry.allowed_email_sans;
  }
  return &entry.allowed_uri_sans;
}

// CleanList drops empty entries, as Vault's comma-string slices do.
std::vector<std::string> CleanList(std::vector<std::string> values) {
  std::vector<std::string> out;
  for (std::string& value : values) {
    if (!value.empty()) {
      out.push_back(std::move(value));
    }
  }
  return out;
}

std::string Name(const FieldData& fields) { return NormalizeCertName(fields.GetString("name")); }

Result<Response> HandleList(const EngineRequest& request, const FieldData&) {
  COFFER_ASSIGN_OR_RETURN(std::vector<std::string> keys, request.storage->List(kCertFolder));
  return core::framework::ListResponse(std::move(keys));
}

Result<bool> CertExists(const EngineRequest& request, const FieldData& fields) {
  return core::framework::StoredKeyExists(*request.storage, CertKey(Name(fields)));
}

Result<Response> HandleRead(const EngineRequest& request, const FieldData& fields) {
  COFFER_ASSIGN_OR_RETURN(std::optional<CertEntry> entry, ReadCert(*request.storage, Name(fields)));
  if (!entry) {
    return core::framework::NotFoundNoMessage();
  }
  return Response::Data(entry->ToResponseData());
}

Result<Response> HandleWrite(KeyLocks& locks, const EngineRequest& request,
                             const FieldData& fields) {
  const std::string name = Name(fields);
  if (name.empty()) {
    return Status::InvalidArgument("missing name");
  }
  for (const char* field : kUnsupportedConstraints) {
    if (!CleanList(fields.GetStrings(field)).empty()) {
      return Status::InvalidArgument(std::string(field) + " is not supported");
    }
  }
  if (fields.GetBool("ocsp_enabled")) {
    return Status::InvalidArgument("ocsp_enabled is not supported");
  }
  const bool certificate_given = fields.Provided("certificate");
  if (certificate_given) {
    COFFER_RETURN_IF_ERROR(ValidateCertificate(fields.GetString("certificate")));
  }

  std::unique_lock lock(locks.For(name));
  COFFER_ASSIGN_OR_RETURN(std::optional<CertEntry> existing, ReadCert(*request.storage, name));
  if (!existing && !certificate_given) {
    return Status::InvalidArgument("missing certificate");
  }
  CertEntry entry = existing ? std::move(*existing) : CertEntry{};
  COFFER_RETURN_IF_ERROR(core::framework::ApplyTokenFields(fields, &entry.token));
  if (certificate_given) {
    entry.certificate = fields.GetString("certificate");
  }
  if (fields.Provided("display_name")) {
    entry.display_name = fields.GetString("display_name");
  }
  if (entry.display_name.empty()) {
    entry.display_name = name;
  }
  for (const char* field : kAllowedLists) {
    if (fields.Provided(field)) {
      *AllowedList(entry, field) = CleanList(fields.GetStrings(field));
    }
  }
  COFFER_RETURN_IF_ERROR(WriteCert(*request.storage, name, entry));
  return Response::NoContent();
}

Result<Response> HandleDelete(KeyLocks& locks, const EngineRequest& request,
                              const FieldData& fields) {
  const std::string name = Name(fields);
  std::unique_lock lock(locks.For(name));
  COFFER_RETURN_IF_ERROR(request.storage->Delete(CertKey(name)));
  return Response::NoContent();
}

}  // namespace

PathSpec CertsListPath() {
  PathSpec spec;
  spec.pattern = "certs" + std::string(core::framework::kOptionalTrailingSlash);
  spec.operations = {{Operation::kList, HandleList}};
  spec.help_synopsis = "Manage trusted certificates used for authentication.";
  spec.help_description = "This endpoint allows you to list the trusted certificates.";
  return spec;
}

PathSpec CertsPath(KeyLocks& locks) {
  PathSpec spec;
  spec.pattern = "certs/" + core::framework::GenericName("name");
  spec.fields = {
      {"name", {FieldType::kString, {}, false, "The name of the certificate."}},
      {"certificate",
       {FieldType::kString, {}, false,
        "The public certificate that should be trusted: a CA, or the exact client "
        "certificate. Must be PEM encoded."}},
      {"display_name",
       {FieldType::kString, {}, false,
        "The display name to use for clients using this certificate."}},
      {"allowed_names",
       {FieldType::kCommaStringSlice, {}, false,
        "Deprecated: a list of names (globs); at least one must match the CN, a DNS SAN or "
        "an email SAN."}},
      {"allowed_common_names",
       {FieldType::kCommaStringSlice, {}, false,
        "A list of common names (globs). At least one must match the client certificate's."}},
      {"allowed_dns_sans",
       {FieldType::kCommaStringSlice, {}, false,
        "A list of DNS names (globs). At least one must match a DNS SAN."}},
      {"allowed_email_sans",
       {FieldType::kCommaStringSlice, {}, false,
        "A list of email addresses (globs). At least one must match an email SAN."}},
      {"allowed_uri_sans",
       {FieldType::kCommaStringSlice, {}, false,
        "A list of URIs (globs). At least one must match a URI SAN."}},
      {"allowed_organizational_units",
       {FieldType::kCommaStringSlice, {}, false, "Not supported: must be empty."}},
      {"required_extensions",
       {FieldType::kCommaStringSlice, {}, false, "Not supported: must be empty."}},
      {"allowed_metadata_extensions",
       {FieldType::kCommaStringSlice, {}, false, "Not supported: must be empty."}},
      {"ocsp_enabled", {FieldType::kBool, false, false, "Not supported: must be false."}},
  };
  core::framework::AddTokenFields(spec.fields);
  auto write = [&locks](const EngineRequest& r, const FieldData& f) {
    return HandleWrite(locks, r, f);
  };
  spec.operations = {
      {Operation::kRead, HandleRead},
      {Operation::kCreate, write},
      {Operation::kUpdate, write},
      {Operation::kDelete,
       [&locks](const EngineRequest& r, const FieldData& f) { return HandleDelete(locks, r, f); }},
  };
  spec.exists = CertExists;
  spec.help_synopsis = kCertsHelpSynopsis;
  spec.help_description = kCertsHelpDescription;
  return spec;
}

}  // namespace coffer::auth::cert
