// What an auth method's login hands the core. The method checks the
// credentials and answers with a LoginGrant; the core mints the token (it
// alone talks to the token store), applies the mount's TTL limits, and
// answers with Vault's "auth" block.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/status.h"

namespace coffer::core {

// TokenParams are Vault's tokenutil fields (token_policies, token_ttl, ...)
// that every auth method's roles and users carry. Durations in seconds;
// 0 means "not set" (the mount's or system's default applies).
struct TokenParams {
  std::vector<std::string> policies;
  int64_t ttl = 0;
  int64_t max_ttl = 0;
  int64_t explicit_max_ttl = 0;
  int64_t period = 0;
  int64_t num_uses = 0;
  std::vector<std::string> bound_cidrs;  // "10.0.0.0/8", "127.0.0.1/32"
  bool no_default_policy = false;
  std::string type = "default";  // "service", "batch" or "default" (= service)

  nlohmann::json ToStored() const;
  // FromStored reads what ToStored wrote; missing members keep defaults.
  static TokenParams FromStored(const nlohmann::json& j);
};

struct LoginGrant {
  // Who logged in, as Vault's token display name ("<mount>-<display_name>").
  std::string display_name;
  // Shown in token lookups and the login response (role_name, username...).
  std::map<std::string, std::string> metadata;
  TokenParams token;
  // Whether the token may be renewed (Vault's auth.Renewable).
  bool renewable = true;
};

}  // namespace coffer::core
