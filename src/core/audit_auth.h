// The "auth" member of a token's audit entries (Vault's shape: hashed
// later, per device). Building it copies the token's policies twice, and
// most requests come from tokens seen a moment ago, so AuditAuthCache
// hands a token's requests one shared, immutable object per remaining-TTL
// second (the only part that changes between them); audit devices in turn
// cache its hashed, serialized form by that object's identity.
#pragma once

#include <cstdint>
#include <memory>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "core/token_store.h"

namespace coffer::core {

// AuditAuthJson builds the member for `token` presented as `client_token`
// with `ttl` seconds left. The raw token is in it: devices HMAC it.
nlohmann::json AuditAuthJson(const TokenEntry& token, std::string_view client_token,
                             int64_t ttl);

// Thread-safe. Holds at most kMaxEntries members (cleared when full); an
// entry is only reused for the same token (compared in constant time), the
// same issue time and the same remaining TTL, so a renewal or a new second
// builds a new one. Batch tokens are not cached (they have no stable key).
class AuditAuthCache {
 public:
  static constexpr size_t kMaxEntries = 4096;

  // For returns the member and whether it is the cached, shared object.
  struct Member {
    std::shared_ptr<const nlohmann::json> auth;
    bool shared = false;
  };
  Member For(const TokenEntry& token, std::string_view client_token, int64_t now_unix);

 private:
  struct Entry {
    std::string client_token;
    int64_t issue_time = 0;
    int64_t ttl = 0;
    std::shared_ptr<const nlohmann::json> auth;
  };

  std::shared_mutex mu_;
  std::unordered_map<std::string, Entry> entries_;  // by id_key; guarded by mu_
};

}  // namespace coffer::core
