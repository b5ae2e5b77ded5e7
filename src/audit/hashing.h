// The HMAC'ing of audit entries: what Vault's audit hashing does, with a
// per-device salt. A hashed value is written as "hmac-sha256:<hex>", so an
// operator who holds a token or secret can find it in the log
// (sys/audit-hash/<path>) but the log alone reveals neither.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/compact_json.h"
#include "crypto/hmac_key.h"
#include "crypto/secure_buffer.h"

namespace coffer::audit {

class Salt {
 public:
  explicit Salt(const crypto::SecureBuffer& key) : key_(key) {}

  // Hash returns "hmac-sha256:" + hex(HMAC-SHA256(salt, value)).
  std::string Hash(std::string_view value) const;
  // MacInto writes the raw HMAC-SHA256(salt, value).
  void MacInto(std::string_view value, unsigned char out[32]) const { key_.MacInto(value, out); }

 private:
  // Prepared once: an entry hashes dozens of strings.
  crypto::HmacSha256Key key_;
};

// KnownHashes: values already hashed with one salt, each with its hash. A
// token and its accessor appear in an entry's "auth" and "request" members
// (and in every entry of that token); hashing them once is enough.
struct KnownHashes {
  std::vector<std::pair<std::string, std::string>> values;  // raw, hashed

  const std::string* Find(std::string_view raw) const;
};

// HashOf is what replaces the non-empty string `raw` in an entry: its hash
// recorded in `known` (may be null), else a new HMAC, kept in `*scratch`.
const std::string& HashOf(std::string_view raw, const Salt& salt, const KnownHashes* known,
                          std::string* scratch);

// StringHasher writes every non-empty string value as its hash (a known
// one or a new one), for data serialized straight from a document that
// must not be changed: the same bytes as HashEntry's hashing of a copy.
class StringHasher : public StringValueRewriter {
 public:
  StringHasher(const Salt& salt, const KnownHashes* known) : salt_(salt), known_(known) {}
  const std::string& Rewrite(const std::string& value, std::string* scratch) const override;

 private:
  const Salt& salt_;
  const KnownHashes* known_;
};

// HashEntry HMACs, in place, every sensitive member of a request or
// response entry in Vault's shape: auth.client_token, request.client_token,
// response.auth.client_token, response.wrap_info.token, every string in
// request.data and response.data (recursively, in objects and arrays), and
// the accessors (auth.accessor, request.client_token_accessor,
// response.auth.accessor, response.wrap_info.accessor and
// wrapped_accessor) when `hmac_accessor` is true. Empty strings stay empty
// (Vault's behaviour: there is nothing to hide and "" is a useful signal).
// A string found in `known` takes the hash recorded there.
void HashEntry(nlohmann::json& entry, const Salt& salt, bool hmac_accessor,
               const KnownHashes* known = nullptr);

}  // namespace coffer::audit
