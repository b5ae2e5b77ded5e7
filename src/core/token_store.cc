#include "core/token_store.h"

#include <mutex>

#include <nlohmann/json.hpp>

#include "base/encoding.h"
#include "crypto/hash.h"
#include "crypto/random.h"

namespace coffer::core {

namespace {

constexpr std::string_view kTokenIdPrefix = "sys/token/id/";
constexpr std::string_view kTokenAccessorPrefix = "sys/token/accessor/";
constexpr std::string_view kBase62 =
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

Result<std::string> RandomBase62(size_t length) {
  std::string out;
  out.reserve(length);
  while (out.size() < length) {
    COFFER_ASSIGN_OR_RETURN(std::string bytes, crypto::RandomString(length * 2));
    for (unsigned char b : bytes) {
      // Rejection sampling keeps every character equally likely: 248 is the
      // largest multiple of 62 that fits in a byte.
      if (b < 248 && out.size() < length) {
        out.push_back(kBase62[b % 62]);
      }
    }
  }
  return out;
}

}  // namespace

bool TokenEntry::IsRoot() const {
  for (const auto& p : policies) {
    if (p == "root") {
      return true;
    }
  }
  return false;
}

Status TokenStore::OnUnseal() {
  COFFER_ASSIGN_OR_RETURN(crypto::SecureBuffer key, barrier_.DeriveKey("token-hmac"));
  std::unique_lock lock(mu_);
  hmac_key_ = std::move(key);
  return Status::Ok();
}

void TokenStore::OnSeal() {
  std::unique_lock lock(mu_);
  hmac_key_.Reset();
}

Result<std::string> TokenStore::NewTokenId() {
  COFFER_ASSIGN_OR_RETURN(std::string body, RandomBase62(24));
  return "hvs." + body;
}

Result<std::string> TokenStore::IdKey(std::string_view token) const {
  std::shared_lock lock(mu_);
  if (hmac_key_.empty()) {
    return Status::Sealed();
  }
  return std::string(kTokenIdPrefix) + HexEncode(crypto::HmacSha256(hmac_key_, token));
}

Result<TokenStore::Minted> TokenStore::MintRootToken(const std::string& id, int64_t now_unix) {
  Minted minted;
  if (id.empty()) {
    COFFER_ASSIGN_OR_RETURN(minted.token, NewTokenId());
  } else {
    minted.token = id;
  }
  COFFER_ASSIGN_OR_RETURN(std::string accessor, RandomBase62(24));
  COFFER_ASSIGN_OR_RETURN(std::string id_key, IdKey(minted.token));
  std::string accessor_key;
  {
    std::shared_lock lock(mu_);
    accessor_key = std::string(kTokenAccessorPrefix) +
                   HexEncode(crypto::HmacSha256(hmac_key_, accessor));
  }
  nlohmann::json entry = {{"accessor", accessor},
                          {"policies", {"root"}},
                          {"display_name", "root"},
                          {"path", "auth/token/root"},
                          {"creation_time", now_unix},
                          {"ttl", 0}};
  nlohmann::json index = {{"id_key", id_key}};
  minted.ops.push_back(storage::TxnOp::Put(id_key, entry.dump()));
  minted.ops.push_back(storage::TxnOp::Put(accessor_key, index.dump()));
  return minted;
}

Result<TokenEntry> TokenStore::Lookup(std::string_view token) {
  if (token.empty()) {
    return Status::PermissionDenied();
  }
  COFFER_ASSIGN_OR_RETURN(std::string key, IdKey(token));
  auto stored = barrier_.Get(key);
  if (!stored.ok()) {
    if (stored.status().IsNotFound()) {
      return Status::PermissionDenied();
    }
    return stored.status();
  }
  nlohmann::json j = nlohmann::json::parse(*stored, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) {
    return Status::Corruption("stored token entry is malformed");
  }
  TokenEntry entry;
  entry.accessor = j.value("accessor", "");
  entry.policies = j.value("policies", std::vector<std::string>{});
  entry.display_name = j.value("display_name", "");
  entry.path = j.value("path", "");
  entry.creation_time = j.value("creation_time", int64_t{0});
  entry.ttl = j.value("ttl", int64_t{0});
  return entry;
}

}  // namespace coffer::core
