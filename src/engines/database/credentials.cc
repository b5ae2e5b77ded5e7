#include "engines/database/credentials.h"

#include <algorithm>
#include <cctype>
#include <ctime>
#include <vector>

#include "crypto/random.h"
#include "engines/database/db_config.h"
#include "engines/database/plugin.h"

namespace coffer::engines::database {

namespace {

// RandomFrom picks `n` characters of `alphabet` uniformly (rejection
// sampling, so no character is favoured by the modulo).
Result<std::string> RandomFrom(std::string_view alphabet, size_t n) {
  const size_t limit = 256 - (256 % alphabet.size());
  std::string out;
  out.reserve(n);
  std::vector<uint8_t> buffer(n * 2);
  while (out.size() < n) {
    COFFER_RETURN_IF_ERROR(crypto::RandomBytes(buffer));
    for (uint8_t b : buffer) {
      if (b < limit && out.size() < n) {
        out.push_back(alphabet[b % alphabet.size()]);
      }
    }
  }
  return out;
}

constexpr std::string_view kLowerAlnum = "abcdefghijklmnopqrstuvwxyz0123456789";
constexpr std::string_view kAlnum =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

}  // namespace

Result<std::string> GenerateUsername(const std::string& role_name, const std::string& plugin_name,
                                     std::chrono::system_clock::time_point now) {
  COFFER_ASSIGN_OR_RETURN(std::string random, RandomFrom(kLowerAlnum, 20));
  const int64_t unix_seconds =
      std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  const bool legacy = IsLegacyMysqlPlugin(plugin_name);
  std::string username = "v-" + role_name.substr(0, legacy ? 4 : 10) + "-" + random + "-" +
                         std::to_string(unix_seconds);
  std::transform(username.begin(), username.end(), username.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  const size_t limit = legacy                        ? kLegacyMysqlMaxUsername
                       : plugin_name == kMysqlPlugin ? kMysqlMaxUsername
                                                     : kPostgresMaxUsername;
  if (username.size() > limit) {
    username.resize(limit);
  }
  return username;
}

Result<std::string> GeneratePassword(const core::EngineRequest& request,
                                     const std::string& policy) {
  if (request.system != nullptr) {
    return request.system->GeneratePassword(policy);
  }
  if (!policy.empty()) {
    return Status::Internal("password policies need the core's system view");
  }
  return RandomFrom(kAlnum, 20);
}

std::string FormatExpiration(std::chrono::system_clock::time_point t) {
  const std::time_t seconds = std::chrono::system_clock::to_time_t(t);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char buffer[64];
  size_t n = std::strftime(buffer, sizeof(buffer), "%Y-%m-%d %H:%M:%S+0000", &utc);
  return std::string(buffer, n);
}

LeaseTtls CredentialTtls(const RoleEntry& role, const core::EngineRequest& request) {
  LeaseTtls ttls;
  ttls.max_ttl = role.max_ttl > 0 ? role.max_ttl : request.max_lease_ttl;
  if (request.max_lease_ttl > 0 && ttls.max_ttl > request.max_lease_ttl) {
    ttls.max_ttl = request.max_lease_ttl;
  }
  ttls.ttl = role.default_ttl > 0 ? role.default_ttl : request.default_lease_ttl;
  if (ttls.ttl <= 0) {
    ttls.ttl = ttls.max_ttl > 0 ? ttls.max_ttl : kFallbackTtlSeconds;
  }
  if (ttls.max_ttl > 0 && ttls.ttl > ttls.max_ttl) {
    ttls.ttl = ttls.max_ttl;
  }
  return ttls;
}

}  // namespace coffer::engines::database
