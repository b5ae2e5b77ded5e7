// KeyCache: the signing keys a mount's remote key source serves (jwks_url,
// or oidc_discovery_url's jwks_uri), fetched over HTTP(S) with coffer's API
// client and kept until the config changes or a token names a kid the
// cached set lacks. Thread-safe; fetches run outside the lock.
#pragma once

#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "auth/jwt/jose.h"
#include "auth/jwt/jwt_config.h"
#include "base/status.h"

namespace coffer::auth::jwt {

// HttpGet fetches `url` ("http://" or "https://"), trusting `ca_pem` (a PEM
// bundle; empty: the system store) and returns the body of a 200 answer.
// InvalidArgument, with the URL and the reason, for anything else.
using HttpGet = std::function<Result<std::string>(const std::string& url,
                                                  const std::string& ca_pem)>;

// ApiClientGet is the HttpGet over api::Client (10 s timeout).
Result<std::string> ApiClientGet(const std::string& url, const std::string& ca_pem);

// FetchRemoteKeys fetches the key set `config` points at: the JWKS at
// jwks_url, or the discovery document at
// <oidc_discovery_url>/.well-known/openid-configuration and then its
// jwks_uri. InvalidArgument naming what failed.
Result<std::vector<KeyWithId>> FetchRemoteKeys(const JwtConfig& config, const HttpGet& get);

class KeyCache {
 public:
  explicit KeyCache(HttpGet get) : get_(std::move(get)) {}

  // Keys returns the cached keys for `config`'s source, fetching them when
  // none are cached for it or `refresh` is set.
  Result<std::vector<KeyWithId>> Keys(const JwtConfig& config, bool refresh);
  // Store replaces the cache (after a config write fetched the keys).
  void Store(const JwtConfig& config, std::vector<KeyWithId> keys);
  const HttpGet& get() const { return get_; }

 private:
  static std::string SourceId(const JwtConfig& config);

  const HttpGet get_;
  std::mutex mu_;
  std::string source_;              // guarded by mu_
  std::vector<KeyWithId> keys_;     // guarded by mu_
};

}  // namespace coffer::auth::jwt
