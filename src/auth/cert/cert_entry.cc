#include "auth/cert/cert_entry.h"

#include <algorithm>
#include <exception>

#include "base/glob.h"
#include "core/framework/json_util.h"
#include "core/framework/token_fields.h"

namespace coffer::auth::cert {

namespace {

using nlohmann::json;

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
  }
  return out;
}

// AnyMatches: an empty list of globs allows anything; otherwise one of
// `values` must match one of them.
bool AnyMatches(const std::vector<std::string>& globs, const std::vector<std::string>& values,
                bool fold_case) {
  if (globs.empty()) {
    return true;
  }
  for (const std::string& glob : globs) {
    for (const std::string& value : values) {
      if (fold_case ? Glob(Lower(glob), Lower(value)) : Glob(glob, value)) {
        return true;
      }
    }
  }
  return false;
}

}  // namespace

bool Glob(std::string_view pattern, std::string_view subject) {
  return GlobMatch(pattern, subject);
}

bool CertEntry::Allows(const LeafInfo& leaf) const {
  std::vector<std::string> any_name = {leaf.common_name};
  any_name.insert(any_name.end(), leaf.dns_sans.begin(), leaf.dns_sans.end());
  any_name.insert(any_name.end(), leaf.email_sans.begin(), leaf.email_sans.end());
  return AnyMatches(allowed_names, any_name, false) &&
         AnyMatches(allowed_common_names, {leaf.common_name}, false) &&
         AnyMatches(allowed_dns_sans, leaf.dns_sans, true) &&
         AnyMatches(allowed_email_sans, leaf.email_sans, false) &&
         AnyMatches(allowed_uri_sans, leaf.uri_sans, false);
}

json CertEntry::ToStored() const {
  return {{"certificate", certificate},
          {"display_name", display_name},
          {"allowed_names", allowed_names},
          {"allowed_common_names", allowed_common_names},
          {"allowed_dns_sans", allowed_dns_sans},
          {"allowed_email_sans", allowed_email_sans},
          {"allowed_uri_sans", allowed_uri_sans},
          {"token", token.ToStored()}};
}

Result<CertEntry> CertEntry::FromStored(const json& stored) {
  if (!stored.is_object()) {
    return Status::Corruption("cert role is not an object");
  }
  try {
    CertEntry entry;
    entry.certificate = stored.at("certificate").get<std::string>();
    entry.display_name = stored.value("display_name", "");
    using Strings = std::vector<std::string>;
    entry.allowed_names = stored.value("allowed_names", Strings{});
    entry.allowed_common_names = stored.value("allowed_common_names", Strings{});
    entry.allowed_dns_sans = stored.value("allowed_dns_sans", Strings{});
    entry.allowed_email_sans = stored.value("allowed_email_sans", Strings{});
    entry.allowed_uri_sans = stored.value("allowed_uri_sans", Strings{});
    entry.token = core::TokenParams::FromStored(stored.value("token", json::object()));
    return entry;
  } catch (const std::exception& e) {
    return Status::Corruption(std::string("cert role is malformed: ") + e.what());
  }
}

json CertEntry::ToResponseData() const {
  json data = core::framework::TokenFieldsJson(token);
  data["certificate"] = certificate;
  data["display_name"] = display_name;
  data["allowed_names"] = allowed_names;
  data["allowed_common_names"] = allowed_common_names;
  data["allowed_dns_sans"] = allowed_dns_sans;
  data["allowed_email_sans"] = allowed_email_sans;
  data["allowed_uri_sans"] = allowed_uri_sans;
  data["allowed_organizational_units"] = json::array();
  data["required_extensions"] = json::array();
  return data;
}

Status ValidateCertificate(std::string_view certificate) {
  std::vector<X509Ptr> parsed = ParsePemCertificates(certificate);
  if (parsed.empty()) {
    return Status::InvalidArgument("failed to parse certificate");
  }
  if (!IsCa(parsed[0].get()) && !HasClientAuthUsage(parsed[0].get())) {
    return Status::InvalidArgument(
        "nonCA certificates should have TLS client authentication set as an extended key "
        "usage");
  }
  return Status::Ok();
}

std::string NormalizeCertName(std::string_view name) { return Lower(name); }

std::string CertKey(std::string_view normalized_name) {
  return std::string(kCertFolder) + std::string(normalized_name);
}

Result<std::optional<CertEntry>> ReadCert(storage::Backend& storage,
                                          std::string_view normalized_name) {
  COFFER_ASSIGN_OR_RETURN(
      std::optional<json> stored,
      core::framework::ReadStoredJson(storage, CertKey(normalized_name), "cert role"));
  if (!stored) {
    return std::optional<CertEntry>();
  }
  COFFER_ASSIGN_OR_RETURN(CertEntry entry, CertEntry::FromStored(*stored));
  return std::optional<CertEntry>(std::move(entry));
}

Status WriteCert(storage::Backend& storage, std::string_view normalized_name,
                 const CertEntry& entry) {
  COFFER_ASSIGN_OR_RETURN(std::string encoded, core::framework::EncodeJson(entry.ToStored()));
  return storage.Put(CertKey(normalized_name), encoded);
}

}  // namespace coffer::auth::cert
