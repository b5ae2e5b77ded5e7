// TokenStore: tokens are stored only as HMAC-SHA256(token) under a key
// derived from the master key, so neither storage nor a backup holds a
// usable token. This is the foundation's subset (root tokens and lookup);
// the full auth/token API builds on it.
//
// Thread-safe. While sealed (no HMAC key) every lookup fails closed.
#pragma once

#include <shared_mutex>
#include <string>
#include <vector>

#include "barrier/barrier.h"
#include "base/status.h"
#include "crypto/secure_buffer.h"

namespace coffer::core {

struct TokenEntry {
  std::string accessor;
  std::vector<std::string> policies;
  std::string display_name;
  std::string path;
  int64_t creation_time = 0;
  int64_t ttl = 0;  // seconds; 0 = never expires (root)

  bool IsRoot() const;
};

class TokenStore {
 public:
  explicit TokenStore(barrier::Barrier& barrier) : barrier_(barrier) {}

  // OnUnseal derives the HMAC key; OnSeal wipes it.
  Status OnUnseal();
  void OnSeal();

  // RootTokenOps makes a root token (`id`, or a fresh random one when
  // empty) and returns its plaintext and the storage operations that
  // persist it, for the caller to commit (init commits them atomically).
  struct Minted {
    std::string token;
    std::vector<storage::TxnOp> ops;
  };
  Result<Minted> MintRootToken(const std::string& id, int64_t now_unix);

  // Lookup returns the entry of `token`; PermissionDenied when unknown.
  Result<TokenEntry> Lookup(std::string_view token);

  // NewTokenId returns "hvs." followed by 24 random base62 characters.
  static Result<std::string> NewTokenId();

 private:
  Result<std::string> IdKey(std::string_view token) const;

  barrier::Barrier& barrier_;
  mutable std::shared_mutex mu_;
  crypto::SecureBuffer hmac_key_;  // guarded by mu_
};

}  // namespace coffer::core
