// SecretIdEntry: the properties of one secret-id, stored at
// "secret_id/<role>/<hmac of the secret-id>" (see approle_state.h). The
// secret-id itself is never stored.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/status.h"

namespace coffer::auth::approle {

struct SecretIdEntry {
  // A random UUID naming the secret-id without revealing it (list, lookup
  // and destroy by accessor).
  std::string accessor;
  // Logins left; 0 means unlimited. The last login deletes the entry.
  int64_t num_uses = 0;
  int64_t ttl = 0;  // seconds, as issued; 0: no expiry
  int64_t creation_nanos = 0;
  int64_t expiration_nanos = 0;  // 0: never expires
  int64_t last_updated_nanos = 0;
  std::map<std::string, std::string> metadata;
  // Addresses that may log in with the secret-id.
  std::vector<std::string> cidr_list;
  // Overrides the role's token_bound_cidrs for tokens it logs in to.
  std::vector<std::string> token_bound_cidrs;

  bool Expired(int64_t now_nanos) const {
    return expiration_nanos != 0 && now_nanos >= expiration_nanos;
  }

  nlohmann::json ToStored() const;
  // FromStored reads what ToStored wrote; Corruption on a malformed entry.
  static Result<SecretIdEntry> FromStored(const nlohmann::json& stored);
  // Decode is FromStored straight from the stored bytes, without building
  // a JSON document (secret_id_decode.cc); Corruption on malformed bytes.
  static Result<SecretIdEntry> Decode(std::string_view stored);
  // ToResponseData is what a lookup shows (Vault's ToResponseData): never
  // the secret-id.
  nlohmann::json ToResponseData() const;
};

// ParseSecretIdMetadata reads the "metadata" parameter as Vault's
// strutil.ParseArbitraryKeyValues does: a JSON object of strings, the same
// in base64, or "k1=v1,k2=v2". "" is no metadata. InvalidArgument
// ("failed to parse metadata: ...") otherwise.
Result<std::map<std::string, std::string>> ParseSecretIdMetadata(std::string_view input);

}  // namespace coffer::auth::approle
