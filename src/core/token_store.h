// TokenStore: service tokens, stored only as HMAC-SHA256(token) under a key
// derived from the master key, so neither storage nor a backup holds a
// usable token (docs/barrier-format.md).
//
//   sys/token/id/<hmac(token)>                  the token's entry
//   sys/token/accessor/<hmac(accessor)>         {"id_key": ...}
//   sys/token/parent/<parent id_key>/<id_key>   parent → child index
//
// Decoded entries are cached in memory (the entry holds no token, only its
// HMAC, accessor and policies). Every write of an entry goes through the
// store, which drops it from the cache in the same critical section, so an
// expired, used-up or revoked token is still refused on the very next
// request. (With several nodes on shared storage, the cache will need the
// storage's watch to invalidate it.) Thread-safe; while sealed (no HMAC
// key) every operation fails closed.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "barrier/barrier.h"
#include "base/clock.h"
#include "base/status.h"
#include "crypto/hmac_key.h"
#include "crypto/secure_buffer.h"

namespace coffer::core {

struct TokenEntry {
  std::string id_key;      // storage key of the entry; not a secret, not the token
  std::string accessor;
  std::string parent_key;  // id_key of the parent; empty for an orphan
  std::vector<std::string> policies;
  std::map<std::string, std::string> meta;
  std::string display_name;
  std::string path;  // the path that created it, e.g. "auth/token/create"
  std::string role;
  int64_t creation_time = 0;  // unix seconds
  int64_t issue_time = 0;     // unix seconds of the last renewal
  int64_t ttl = 0;            // seconds granted at issue/renewal; 0 = never expires
  int64_t creation_ttl = 0;
  int64_t explicit_max_ttl = 0;
  int64_t period = 0;
  int64_t num_uses = 0;  // uses left; 0 = unlimited; -1 = last use spent
  bool renewable = false;
  std::string entity_id;
  // CIDRs the token may be used from (token_bound_cidrs); empty: anywhere.
  std::vector<std::string> bound_cidrs;
  // A batch token is never stored: the token itself is its entry, sealed
  // under a key derived from the master key. It cannot be renewed,
  // revoked or given uses, and has no accessor and no cubbyhole.
  bool batch = false;

  const char* TypeName() const { return batch ? "batch" : "service"; }
  bool IsRoot() const;
  // ExpireTime is issue_time + ttl, or 0 when the token never expires.
  int64_t ExpireTime() const { return ttl == 0 ? 0 : issue_time + ttl; }
  bool ExpiredAt(int64_t now) const { return ttl != 0 && now >= ExpireTime(); }
  // RemainingTtl in seconds at `now` (0 for non-expiring tokens).
  int64_t RemainingTtl(int64_t now) const;

  nlohmann::json ToStored() const;
  static Result<TokenEntry> FromStored(std::string id_key, std::string_view bytes);
};

struct TokenCreateRequest {
  std::string id;  // requested token id (root only); empty = random
  std::string parent_key;
  std::vector<std::string> policies;
  std::map<std::string, std::string> meta;
  std::string display_name = "token";
  std::string path = "auth/token/create";
  std::string role;
  int64_t ttl = 0;
  int64_t explicit_max_ttl = 0;
  int64_t period = 0;
  int64_t num_uses = 0;
  bool renewable = true;
  std::string entity_id;
  std::vector<std::string> bound_cidrs;
  bool batch = false;  // see TokenEntry::batch; needs num_uses 0, no period, no id
};

class TokenStore {
 public:
  TokenStore(barrier::Barrier& barrier, const Clock& clock) : barrier_(barrier), clock_(clock) {}

  // OnUnseal derives the HMAC key; OnSeal wipes it.
  Status OnUnseal();
  void OnSeal();

  struct Created {
    std::string token;
    TokenEntry entry;
    std::vector<storage::TxnOp> ops;  // set by Prepare, empty after Create
  };

  // Prepare builds a token and the operations that persist it without
  // writing them (init commits them with the rest of its transaction).
  Result<Created> Prepare(const TokenCreateRequest& request);
  // Create prepares and commits a token; a batch token is sealed, not
  // stored.
  Result<Created> Create(const TokenCreateRequest& request);

  // Lookup returns the live entry of `token`; PermissionDenied when it is
  // unknown, revoked or expired (an expired token is revoked on the spot).
  Result<TokenEntry> Lookup(std::string_view token);
  // Use is Lookup that also checks the token's bound CIDRs against the
  // client's address and spends one use of a limited-use token, exactly
  // once under concurrency. The use that spends the last one succeeds and
  // returns num_uses == -1: the token is already refused to everyone else,
  // and the caller must Revoke it once its request is done.
  Result<TokenEntry> Use(std::string_view token, std::string_view remote_address);
  // Check is Use without spending: Lookup and the bound-CIDR check. A
  // limited-use token comes back with its uses untouched, so a caller that
  // goes on to serve it must call Use instead.
  Result<TokenEntry> Check(std::string_view token, std::string_view remote_address);
  // CheckShared is Check without copying the entry out of the cache: the
  // entry is immutable (a change to the token stores a new one), so the
  // hot read path shares it instead of copying its policy list.
  Result<std::shared_ptr<const TokenEntry>> CheckShared(std::string_view token,
                                                        std::string_view remote_address);

  Result<TokenEntry> LookupByKey(const std::string& id_key);
  Result<TokenEntry> LookupAccessor(std::string_view accessor);
  // IdKeyFor returns the storage key of a token without reading storage.
  Result<std::string> IdKeyFor(std::string_view token) const;

  // Revoke removes the token and, recursively, every token it created.
  Status Revoke(const std::string& id_key);
  // RevokeOrphan removes the token and turns its children into orphans.
  Status RevokeOrphan(const std::string& id_key);

  // Renew extends the token by `increment` seconds (0: its original TTL),
  // capped by explicit_max_ttl and `max_ttl`; periodic tokens renew to
  // their period. InvalidArgument for a non-renewable token.
  Result<TokenEntry> Renew(const std::string& id_key, int64_t increment, int64_t max_ttl);

  // SetRevokeHook registers work to do for each revoked token (the Core
  // empties its cubbyhole); it gets the token's client id (its id key's
  // hex part). Set once, before requests are served.
  void SetRevokeHook(std::function<Status(const std::string& client_id)> hook) {
    revoke_hook_ = std::move(hook);
  }

  // NewTokenId returns "hvs." followed by 24 random base62 characters.
  static Result<std::string> NewTokenId();

 private:
  Result<std::string> Hmac(std::string_view prefix, std::string_view value) const;
  Result<Created> CreateBatch(const TokenCreateRequest& request);
  Result<TokenEntry> OpenBatch(std::string_view token) const;
  // The shared forms of Lookup and LookupByKey, which copy out of these.
  Result<std::shared_ptr<const TokenEntry>> LookupShared(std::string_view token);
  Result<std::shared_ptr<const TokenEntry>> LookupSharedByKey(const std::string& id_key);
  Status RevokeTree(const std::string& id_key, int depth);
  Result<std::vector<storage::TxnOp>> DeleteOps(const TokenEntry& entry);
  // Commit writes `ops` and drops every token entry they touch from the
  // cache; all writes of entries go through it, under write_mu_.
  Status Commit(const std::vector<storage::TxnOp>& ops);
  // LoadByKey reads and decodes an entry from storage (no cache).
  Result<TokenEntry> LoadByKey(const std::string& id_key);
  void ClearCache();
  int64_t Now() const;

  barrier::Barrier& barrier_;
  const Clock& clock_;
  mutable std::shared_mutex key_mu_;
  // Prepared HMAC key (hmac_key.h): every request MACs its token.
  std::unique_ptr<crypto::HmacSha256Key> hmac_key_;  // guarded by key_mu_
  crypto::SecureBuffer batch_key_;  // guarded by key_mu_: seals batch tokens
  // Exclusive for the read-modify-write of limited-use tokens, renewals and
  // revocations, so a use is never counted twice or lost and no child is
  // created under a parent while its tree is taken down. Creations take it
  // shared: they write only keys of their own (a new token, its accessor,
  // its parent's index entry for it), so they can share a storage group
  // commit instead of paying a sync each.
  std::shared_mutex write_mu_;
  std::function<Status(const std::string&)> revoke_hook_;

  static constexpr size_t kMaxCachedTokens = 100'000;
  mutable std::shared_mutex cache_mu_;
  // guarded by cache_mu_
  std::unordered_map<std::string, std::shared_ptr<const TokenEntry>> cache_;
  std::atomic<uint64_t> cache_generation_{0};
};

}  // namespace coffer::core
