#include "auth/jwt/key_cache.h"

#include <chrono>
#include <memory>

#include "api/client.h"

namespace coffer::auth::jwt {

namespace {

constexpr size_t kMaxUrlLength = 2048;

// SplitUrl splits "https://host:port/path?q" into the client address and
// the request-target.
Result<std::pair<std::string, std::string>> SplitUrl(const std::string& url) {
  const size_t scheme_end = url.find("://");
  if (url.size() > kMaxUrlLength || scheme_end == std::string::npos ||
      (url.compare(0, scheme_end, "http") != 0 && url.compare(0, scheme_end, "https") != 0)) {
    return Status::InvalidArgument("\"" + url + "\" is not an http(s) URL");
  }
  const size_t path_start = url.find_first_of("/?#", scheme_end + 3);
  std::string address = url.substr(0, path_start);
  std::string target = path_start == std::string::npos ? "/" : url.substr(path_start);
  if (address.size() == scheme_end + 3) {
    return Status::InvalidArgument("\"" + url + "\" has no host");
  }
  if (const size_t hash = target.find('#'); hash != std::string::npos) {
    target.erase(hash);
  }
  if (target.empty() || target[0] != '/') {
    target.insert(0, "/");
  }
  return std::make_pair(std::move(address), std::move(target));
}

}  // namespace

Result<std::string> ApiClientGet(const std::string& url, const std::string& ca_pem) {
  COFFER_ASSIGN_OR_RETURN(auto parts, SplitUrl(url));
  api::ClientConfig config;
  config.address = parts.first;
  config.ca_cert_pem = ca_pem;
  config.timeout = std::chrono::seconds(10);
  Result<std::unique_ptr<api::Client>> client = api::Client::Create(std::move(config));
  if (!client.ok()) {
    return Status::InvalidArgument("error fetching " + url + ": " + client.status().message());
  }
  Result<api::Response> response =
      (*client)->RequestTarget("GET", parts.second, std::nullopt, {{"Accept", "application/json"}});
  if (!response.ok()) {
    return Status::InvalidArgument("error fetching " + url + ": " + response.status().message());
  }
  if (response->status != 200) {
    return Status::InvalidArgument("error fetching " + url + ": HTTP status " +
                                   std::to_string(response->status));
  }
  return std::move(response->raw_body);
}

Result<std::vector<KeyWithId>> FetchRemoteKeys(const JwtConfig& config, const HttpGet& get) {
  std::string jwks_url = config.jwks_url;
  std::string ca = config.jwks_ca_pem;
  if (jwks_url.empty()) {
    std::string base = config.oidc_discovery_url;
    while (!base.empty() && base.back() == '/') {
      base.pop_back();
    }
    const std::string discovery_url = base + "/.well-known/openid-configuration";
    ca = config.oidc_discovery_ca_pem;
    COFFER_ASSIGN_OR_RETURN(std::string body, get(discovery_url, ca));
    std::optional<nlohmann::json> doc = ParseJsonObject(body);
    if (!doc || !doc->contains("jwks_uri") || !(*doc)["jwks_uri"].is_string()) {
      return Status::InvalidArgument("error checking oidc discovery URL: " + discovery_url +
                                     " has no jwks_uri");
    }
    jwks_url = (*doc)["jwks_uri"].get<std::string>();
  }
  COFFER_ASSIGN_OR_RETURN(std::string body, get(jwks_url, ca));
  Result<std::vector<KeyWithId>> keys = KeysFromJwks(body);
  if (!keys.ok()) {
    return Status::InvalidArgument("error reading JWKS from " + jwks_url + ": " +
                                   keys.status().message());
  }
  return keys;
}

std::string KeyCache::SourceId(const JwtConfig& config) {
  return config.jwks_url + "\n" + config.jwks_ca_pem + "\n" + config.oidc_discovery_url + "\n" +
         config.oidc_discovery_ca_pem;
}

Result<std::vector<KeyWithId>> KeyCache::Keys(const JwtConfig& config, bool refresh) {
  const std::string source = SourceId(config);
  if (!refresh) {
    std::lock_guard<std::mutex> lock(mu_);
    if (source_ == source && !keys_.empty()) {
      return keys_;
    }
  }
  COFFER_ASSIGN_OR_RETURN(std::vector<KeyWithId> keys, FetchRemoteKeys(config, get_));
  Store(config, keys);
  return keys;
}

void KeyCache::Store(const JwtConfig& config, std::vector<KeyWithId> keys) {
  std::lock_guard<std::mutex> lock(mu_);
  source_ = SourceId(config);
  keys_ = std::move(keys);
}

}  // namespace coffer::auth::jwt
