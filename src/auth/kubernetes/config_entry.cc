#include "auth/kubernetes/config_entry.h"

#include <exception>
#include <fstream>
#include <iterator>
#include <memory>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "api/address.h"
#include "core/framework/json_util.h"

namespace coffer::auth::kubernetes {

namespace {

using nlohmann::json;

// Files from the local service account are small; refuse anything huge.
constexpr std::streamsize kMaxLocalFile = 1 << 20;

using BioPtr = std::unique_ptr<BIO, decltype(&BIO_free)>;

BioPtr MemBio(const std::string& pem) {
  return BioPtr(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), &BIO_free);
}

std::string ReadSmallFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return "";
  }
  std::string out;
  char buf[4096];
  while (in.read(buf, sizeof(buf)) || in.gcount() > 0) {
    out.append(buf, static_cast<size_t>(in.gcount()));
    if (static_cast<std::streamsize>(out.size()) > kMaxLocalFile) {
      return "";
    }
  }
  return out;
}

}  // namespace

json ConfigEntry::ToStored() const {
  return {{"kubernetes_host", kubernetes_host},
          {"kubernetes_ca_cert", kubernetes_ca_cert},
          {"token_reviewer_jwt", token_reviewer_jwt},
          {"pem_keys", pem_keys},
          {"issuer", issuer},
          {"disable_iss_validation", disable_iss_validation},
          {"disable_local_ca_jwt", disable_local_ca_jwt}};
}

Result<ConfigEntry> ConfigEntry::FromStored(const json& stored) {
  if (!stored.is_object()) {
    return Status::Corruption("kubernetes config is not an object");
  }
  try {
    ConfigEntry config;
    config.kubernetes_host = stored.at("kubernetes_host").get<std::string>();
    config.kubernetes_ca_cert = stored.value("kubernetes_ca_cert", "");
    config.token_reviewer_jwt = stored.value("token_reviewer_jwt", "");
    config.pem_keys = stored.value("pem_keys", std::vector<std::string>{});
    config.issuer = stored.value("issuer", "");
    config.disable_iss_validation = stored.value("disable_iss_validation", true);
    config.disable_local_ca_jwt = stored.value("disable_local_ca_jwt", false);
    return config;
  } catch (const std::exception& e) {
    return Status::Corruption(std::string("kubernetes config is malformed: ") + e.what());
  }
}

json ConfigEntry::ToResponseData() const {
  return {{"kubernetes_host", kubernetes_host},
          {"kubernetes_ca_cert", kubernetes_ca_cert},
          {"pem_keys", pem_keys},
          {"issuer", issuer},
          {"disable_iss_validation", disable_iss_validation},
          {"disable_local_ca_jwt", disable_local_ca_jwt}};
}

Status ValidateHost(const std::string& host) {
  if (host.empty()) {
    return Status::InvalidArgument("no host provided");
  }
  if (host.rfind("https://", 0) != 0 && host.rfind("http://", 0) != 0) {
    return Status::InvalidArgument("kubernetes_host must be a URL such as https://host:port");
  }
  Result<api::ServerAddress> address = api::ParseServerAddress(host);
  if (!address.ok()) {
    return Status::InvalidArgument("invalid kubernetes_host: " + address.status().message());
  }
  return Status::Ok();
}

Status ValidateCaCert(const std::string& pem) {
  BioPtr bio = MemBio(pem);
  if (!bio) {
    return Status::Internal("BIO_new_mem_buf failed");
  }
  int certificates = 0;
  while (X509* cert = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) {
    X509_free(cert);
    ++certificates;
  }
  ERR_clear_error();
  if (certificates == 0) {
    return Status::InvalidArgument("kubernetes_ca_cert: no valid PEM certificate found");
  }
  return Status::Ok();
}

Status ValidatePemKey(const std::string& pem) {
  {
    BioPtr bio = MemBio(pem);
    if (bio) {
      if (EVP_PKEY* key = PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr)) {
        EVP_PKEY_free(key);
        return Status::Ok();
      }
    }
  }
  ERR_clear_error();
  BioPtr bio = MemBio(pem);
  if (bio) {
    if (X509* cert = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) {
      X509_free(cert);
      return Status::Ok();
    }
  }
  ERR_clear_error();
  return Status::InvalidArgument(
      "pem_keys: data does not contain any valid RSA or ECDSA public keys");
}

Result<std::optional<ConfigEntry>> ReadConfig(storage::Backend& storage) {
  COFFER_ASSIGN_OR_RETURN(
      std::optional<json> stored,
      core::framework::ReadStoredJson(storage, kConfigKey, "kubernetes config"));
  if (!stored) {
    return std::optional<ConfigEntry>();
  }
  COFFER_ASSIGN_OR_RETURN(ConfigEntry config, ConfigEntry::FromStored(*stored));
  return std::optional<ConfigEntry>(std::move(config));
}

Status WriteConfig(storage::Backend& storage, const ConfigEntry& config) {
  COFFER_ASSIGN_OR_RETURN(std::string encoded, core::framework::EncodeJson(config.ToStored()));
  return storage.Put(kConfigKey, encoded);
}

LocalServiceAccount ReadLocalServiceAccount(const std::string& dir) {
  LocalServiceAccount local;
  local.ca_cert = ReadSmallFile(dir + "/ca.crt");
  local.token = ReadSmallFile(dir + "/token");
  while (!local.token.empty() && (local.token.back() == '\n' || local.token.back() == '\r')) {
    local.token.pop_back();
  }
  return local;
}

}  // namespace coffer::auth::kubernetes
