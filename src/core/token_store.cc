#include "core/token_store.h"

#include <algorithm>
#include <chrono>

#include "base/cidr.h"
#include "core/expiration/expiration_manager.h"
#include "core/token_entry_json.h"
#include "base/encoding.h"
#include "crypto/aead.h"
#include "crypto/hash.h"
#include "crypto/random.h"

namespace coffer::core {

namespace {

using nlohmann::json;

constexpr std::string_view kIdPrefix = "sys/token/id/";
constexpr std::string_view kAccessorPrefix = "sys/token/accessor/";
constexpr std::string_view kParentPrefix = "sys/token/parent/";
// Service tokens are "hvs." and 24 base62 characters; accessors are 24.
constexpr std::string_view kServiceTokenPrefix = "hvs.";
constexpr size_t kIdLength = 24;
constexpr std::string_view kBase62 =
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
// A token tree deeper than this is refused rather than recursed into.
constexpr int kMaxTreeDepth = 1000;
constexpr std::string_view kBatchTokenPrefix = "hvb.";
constexpr std::string_view kBatchIdPrefix = "sys/token/batch/";
constexpr std::string_view kBatchAad = "coffer-batch-token-v1";

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

std::string ChildIndexKey(const std::string& parent_key, const std::string& child_key) {
  // id keys are "sys/token/id/<hex>"; the index uses the hex parts.
  auto hex = [](const std::string& k) { return k.substr(kIdPrefix.size()); };
  return std::string(kParentPrefix) + hex(parent_key) + "/" + hex(child_key);
}

}  // namespace

bool TokenEntry::IsRoot() const {
  return std::find(policies.begin(), policies.end(), "root") != policies.end();
}

int64_t TokenEntry::RemainingTtl(int64_t now) const {
  if (ttl == 0) {
    return 0;
  }
  return std::max<int64_t>(0, ExpireTime() - now);
}

json TokenEntry::ToStored() const {
  return {{"accessor", accessor},         {"parent", parent_key},
          {"policies", policies},         {"meta", meta},
          {"display_name", display_name}, {"path", path},
          {"role", role},                 {"creation_time", creation_time},
          {"issue_time", issue_time},     {"ttl", ttl},
          {"creation_ttl", creation_ttl}, {"explicit_max_ttl", explicit_max_ttl},
          {"period", period},             {"num_uses", num_uses},
          {"renewable", renewable},       {"entity_id", entity_id},
          {"bound_cidrs", bound_cidrs},   {"batch", batch}};
}

Result<TokenEntry> TokenEntry::FromStored(std::string id_key, std::string_view bytes) {
  json j = json::parse(bytes, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) {
    return Status::Corruption("stored token entry is malformed");
  }
  try {
    TokenEntry e;
    e.id_key = std::move(id_key);
    e.accessor = j.at("accessor").get<std::string>();
    e.parent_key = j.value("parent", "");
    e.policies = j.value("policies", std::vector<std::string>{});
    e.meta = j.value("meta", std::map<std::string, std::string>{});
    e.display_name = j.value("display_name", "");
    e.path = j.value("path", "");
    e.role = j.value("role", "");
    e.creation_time = j.value("creation_time", int64_t{0});
    e.issue_time = j.value("issue_time", e.creation_time);
    e.ttl = j.value("ttl", int64_t{0});
    e.creation_ttl = j.value("creation_ttl", e.ttl);
    e.explicit_max_ttl = j.value("explicit_max_ttl", int64_t{0});
    e.period = j.value("period", int64_t{0});
    e.num_uses = j.value("num_uses", int64_t{0});
    e.renewable = j.value("renewable", false);
    e.entity_id = j.value("entity_id", "");
    e.bound_cidrs = j.value("bound_cidrs", std::vector<std::string>{});
    e.batch = j.value("batch", false);
    return e;
  } catch (const json::exception& ex) {
    return Status::Corruption(std::string("stored token entry is malformed: ") + ex.what());
  }
}

int64_t TokenStore::Now() const {
  return std::chrono::duration_cast<std::chrono::seconds>(clock_.Now().time_since_epoch()).count();
}

Status TokenStore::OnUnseal() {
  COFFER_ASSIGN_OR_RETURN(crypto::SecureBuffer key, barrier_.DeriveKey("token-hmac"));
  COFFER_ASSIGN_OR_RETURN(crypto::SecureBuffer batch, barrier_.DeriveKey("batch-token"));
  std::unique_lock lock(key_mu_);
  hmac_key_ = std::make_unique<crypto::HmacSha256Key>(key);
  batch_key_ = std::move(batch);
  return Status::Ok();
}

void TokenStore::OnSeal() {
  {
    std::unique_lock lock(key_mu_);
    hmac_key_.reset();
    batch_key_.Reset();
  }
  ClearCache();
}

Result<std::string> TokenStore::NewTokenId() {
  COFFER_ASSIGN_OR_RETURN(std::string body, RandomBase62(kIdLength));
  return std::string(kServiceTokenPrefix) + body;
}

Result<std::string> TokenStore::Hmac(std::string_view prefix, std::string_view value) const {
  std::shared_lock lock(key_mu_);
  if (!hmac_key_) {
    return Status::Sealed();
  }
  return std::string(prefix) + HexEncode(hmac_key_->Mac(value));
}

Result<std::string> TokenStore::IdKeyFor(std::string_view token) const {
  return Hmac(kIdPrefix, token);
}

Result<TokenStore::Created> TokenStore::Prepare(const TokenCreateRequest& req) {
  Created created;
  TokenEntry& e = created.entry;
  if (req.id.empty()) {
    // The token's characters and the accessor's from one CSPRNG call:
    // each call has a fixed cost well above that of the bytes it makes.
    // Every character is drawn on its own, so the halves are independent.
    COFFER_ASSIGN_OR_RETURN(std::string drawn, RandomBase62(2 * kIdLength));
    created.token = std::string(kServiceTokenPrefix) + drawn.substr(0, kIdLength);
    e.accessor = drawn.substr(kIdLength);
  } else {
    created.token = req.id;
    COFFER_ASSIGN_OR_RETURN(e.accessor, RandomBase62(kIdLength));
  }
  COFFER_ASSIGN_OR_RETURN(e.id_key, IdKeyFor(created.token));
  e.parent_key = req.parent_key;
  e.policies = req.policies;
  e.meta = req.meta;
  e.display_name = req.display_name;
  e.path = req.path;
  e.role = req.role;
  e.creation_time = Now();
  e.issue_time = e.creation_time;
  e.ttl = req.ttl;
  e.creation_ttl = req.ttl;
  e.explicit_max_ttl = req.explicit_max_ttl;
  e.period = req.period;
  e.num_uses = req.num_uses;
  e.renewable = req.renewable;
  e.entity_id = req.entity_id;
  e.bound_cidrs = req.bound_cidrs;

  COFFER_ASSIGN_OR_RETURN(std::string accessor_key, Hmac(kAccessorPrefix, e.accessor));
  created.ops.push_back(storage::TxnOp::Put(e.id_key, EncodeTokenEntry(e)));
  created.ops.push_back(storage::TxnOp::Put(accessor_key, EncodeAccessorIndex(e.id_key)));
  if (!e.parent_key.empty()) {
    created.ops.push_back(storage::TxnOp::Put(ChildIndexKey(e.parent_key, e.id_key), ""));
  }
  // The expiration manager's sweep revokes it (and its leases) on time.
  for (auto& op : expiration::ExpirationManager::IndexTokenOps(e.id_key, 0, e.ExpireTime())) {
    created.ops.push_back(std::move(op));
  }
  return created;
}

Result<TokenStore::Created> TokenStore::CreateBatch(const TokenCreateRequest& req) {
  if (!req.id.empty() || req.num_uses != 0 || req.period != 0) {
    return Status::InvalidArgument("batch tokens cannot have an id, uses or a period");
  }
  Created created;
  TokenEntry& e = created.entry;
  e.batch = true;
  e.parent_key = req.parent_key;
  e.policies = req.policies;
  e.meta = req.meta;
  e.display_name = req.display_name;
  e.path = req.path;
  e.role = req.role;
  e.creation_time = Now();
  e.issue_time = e.creation_time;
  e.ttl = req.ttl;
  e.creation_ttl = req.ttl;
  e.explicit_max_ttl = req.explicit_max_ttl;
  e.renewable = false;
  e.entity_id = req.entity_id;
  e.bound_cidrs = req.bound_cidrs;
  std::string sealed;
  {
    std::shared_lock lock(key_mu_);
    if (batch_key_.empty()) {
      return Status::Sealed();
    }
    COFFER_ASSIGN_OR_RETURN(sealed, crypto::AeadSeal(batch_key_, EncodeTokenEntry(e), kBatchAad));
  }
  created.token = std::string(kBatchTokenPrefix) + Base64UrlEncode(sealed);
  // Not a storage key: a stable name for the token (its client id).
  e.id_key = std::string(kBatchIdPrefix) + HexEncode(crypto::Sha256(created.token)).substr(0, 32);
  return created;
}

Result<TokenEntry> TokenStore::OpenBatch(std::string_view token) const {
  auto sealed = Base64UrlDecode(token.substr(kBatchTokenPrefix.size()));
  if (!sealed) {
    return Status::PermissionDenied();
  }
  std::shared_lock lock(key_mu_);
  if (batch_key_.empty()) {
    return Status::Sealed();
  }
  auto opened = crypto::AeadOpen(batch_key_, *sealed, kBatchAad);
  if (!opened.ok()) {
    return Status::PermissionDenied();  // forged, or from another cluster
  }
  const std::string id_key =
      std::string(kBatchIdPrefix) + HexEncode(crypto::Sha256(token)).substr(0, 32);
  COFFER_ASSIGN_OR_RETURN(TokenEntry entry, TokenEntry::FromStored(id_key, *opened));
  if (!entry.batch) {
    return Status::PermissionDenied();
  }
  return entry;
}

Result<TokenStore::Created> TokenStore::Create(const TokenCreateRequest& request) {
  if (request.batch) {
    return CreateBatch(request);
  }
  COFFER_ASSIGN_OR_RETURN(Created created, Prepare(request));
  if (!request.id.empty()) {
    // A caller-chosen id must not overwrite (and so hijack) a live token.
    auto existing = barrier_.Get(created.entry.id_key);
    if (existing.ok()) {
      return Status::InvalidArgument("a token with this ID already exists");
    }
    if (!existing.status().IsNotFound()) {
      return existing.status();
    }
  }
  {
    std::shared_lock lock(write_mu_);
    if (!request.parent_key.empty()) {
      // The parent may have been revoked since the caller looked it up.
      COFFER_ASSIGN_OR_RETURN(TokenEntry parent, LookupByKey(request.parent_key));
      (void)parent;
    }
    COFFER_RETURN_IF_ERROR(Commit(created.ops));
  }
  created.ops.clear();
  return created;
}

Status TokenStore::Commit(const std::vector<storage::TxnOp>& ops) {
  Status committed = barrier_.Transaction(ops);
  // Also after a failure: storage may or may not hold the change.
  std::unique_lock lock(cache_mu_);
  cache_generation_.fetch_add(1, std::memory_order_acq_rel);
  for (const storage::TxnOp& op : ops) {
    if (op.key.starts_with(kIdPrefix)) {
      cache_.erase(op.key);
    }
  }
  return committed;
}

void TokenStore::ClearCache() {
  std::unique_lock lock(cache_mu_);
  cache_generation_.fetch_add(1, std::memory_order_acq_rel);
  cache_.clear();
}

Result<TokenEntry> TokenStore::LookupByKey(const std::string& id_key) {
  COFFER_ASSIGN_OR_RETURN(std::shared_ptr<const TokenEntry> entry, LookupSharedByKey(id_key));
  return *entry;
}

Result<std::shared_ptr<const TokenEntry>> TokenStore::LookupSharedByKey(
    const std::string& id_key) {
  {
    std::shared_lock lock(cache_mu_);
    if (auto it = cache_.find(id_key); it != cache_.end()) {
      return it->second;
    }
  }
  // A write between this read and the insert below bumps the generation,
  // so an entry read before a revocation is never cached after it.
  const uint64_t generation = cache_generation_.load(std::memory_order_acquire);
  COFFER_ASSIGN_OR_RETURN(TokenEntry loaded, LoadByKey(id_key));
  auto entry = std::make_shared<const TokenEntry>(std::move(loaded));
  std::unique_lock lock(cache_mu_);
  if (cache_generation_.load(std::memory_order_acquire) == generation) {
    if (cache_.size() >= kMaxCachedTokens) {
      cache_.clear();  // crude, and rare: a working set this large re-warms
    }
    cache_.emplace(id_key, entry);
  }
  return entry;
}

Result<TokenEntry> TokenStore::LoadByKey(const std::string& id_key) {
  auto stored = barrier_.Get(id_key);
  if (!stored.ok()) {
    if (stored.status().IsNotFound()) {
      return Status::PermissionDenied();
    }
    return stored.status();
  }
  return TokenEntry::FromStored(id_key, *stored);
}

Result<TokenEntry> TokenStore::Lookup(std::string_view token) {
  COFFER_ASSIGN_OR_RETURN(std::shared_ptr<const TokenEntry> entry, LookupShared(token));
  return *entry;
}

Result<std::shared_ptr<const TokenEntry>> TokenStore::LookupShared(std::string_view token) {
  if (token.empty()) {
    return Status::PermissionDenied();
  }
  if (token.starts_with(kBatchTokenPrefix)) {
    COFFER_ASSIGN_OR_RETURN(TokenEntry entry, OpenBatch(token));
    if (entry.ExpiredAt(Now())) {
      return Status::PermissionDenied();  // nothing stored, nothing to revoke
    }
    if (!entry.parent_key.empty()) {
      // A batch token lives no longer than the token that made it.
      COFFER_ASSIGN_OR_RETURN(std::shared_ptr<const TokenEntry> parent,
                              LookupSharedByKey(entry.parent_key));
      if (parent->ExpiredAt(Now())) {
        return Status::PermissionDenied();
      }
    }
    return std::make_shared<const TokenEntry>(std::move(entry));
  }
  COFFER_ASSIGN_OR_RETURN(std::string id_key, IdKeyFor(token));
  COFFER_ASSIGN_OR_RETURN(std::shared_ptr<const TokenEntry> entry, LookupSharedByKey(id_key));
  if (entry->num_uses < 0) {
    return Status::PermissionDenied();  // its last use has been spent
  }
  if (entry->ExpiredAt(Now())) {
    // Expired: gone now, not at the next sweep.
    Status revoked = Revoke(entry->id_key);
    (void)revoked;
    return Status::PermissionDenied();
  }
  return entry;
}

Result<TokenEntry> TokenStore::Check(std::string_view token, std::string_view remote_address) {
  COFFER_ASSIGN_OR_RETURN(std::shared_ptr<const TokenEntry> entry,
                          CheckShared(token, remote_address));
  return *entry;
}

Result<std::shared_ptr<const TokenEntry>> TokenStore::CheckShared(
    std::string_view token, std::string_view remote_address) {
  COFFER_ASSIGN_OR_RETURN(std::shared_ptr<const TokenEntry> entry, LookupShared(token));
  if (!AddressInAny(entry->bound_cidrs, remote_address)) {
    // Vault's wording; the use is not spent.
    return Status::PermissionDenied("permission denied");
  }
  return entry;
}

Result<TokenEntry> TokenStore::Use(std::string_view token, std::string_view remote_address) {
  COFFER_ASSIGN_OR_RETURN(TokenEntry entry, Check(token, remote_address));
  if (entry.num_uses == 0) {
    return entry;
  }
  std::unique_lock lock(write_mu_);
  // Re-read under the lock: another request may have spent the last use.
  COFFER_ASSIGN_OR_RETURN(entry, LookupByKey(entry.id_key));
  if (entry.num_uses <= 0) {
    return entry.num_uses == 0 ? Result<TokenEntry>(entry) : Status::PermissionDenied();
  }
  entry.num_uses -= 1;
  if (entry.num_uses == 0) {
    // The last use: marked spent (-1) so every later lookup fails, while
    // this request still runs; the caller revokes the token when done.
    entry.num_uses = -1;
  }
  COFFER_RETURN_IF_ERROR(Commit({storage::TxnOp::Put(entry.id_key, EncodeTokenEntry(entry))}));
  return entry;
}

Result<TokenEntry> TokenStore::LookupAccessor(std::string_view accessor) {
  if (accessor.empty()) {
    return Status::InvalidArgument("missing accessor");
  }
  COFFER_ASSIGN_OR_RETURN(std::string key, Hmac(kAccessorPrefix, accessor));
  auto stored = barrier_.Get(key);
  if (!stored.ok()) {
    if (stored.status().IsNotFound()) {
      return Status::InvalidArgument("invalid accessor");
    }
    return stored.status();
  }
  json j = json::parse(*stored, nullptr, false);
  if (!j.is_object() || !j["id_key"].is_string()) {
    return Status::Corruption("stored accessor index is malformed");
  }
  auto entry = LookupByKey(j["id_key"].get<std::string>());
  if (!entry.ok() && entry.status().code() == Code::kPermissionDenied) {
    return Status::InvalidArgument("invalid accessor");
  }
  return entry;
}

Result<std::vector<storage::TxnOp>> TokenStore::DeleteOps(const TokenEntry& entry) {
  std::vector<storage::TxnOp> ops;
  ops.push_back(storage::TxnOp::Delete(entry.id_key));
  COFFER_ASSIGN_OR_RETURN(std::string accessor_key, Hmac(kAccessorPrefix, entry.accessor));
  ops.push_back(storage::TxnOp::Delete(accessor_key));
  if (!entry.parent_key.empty()) {
    ops.push_back(storage::TxnOp::Delete(ChildIndexKey(entry.parent_key, entry.id_key)));
  }
  for (auto& op : expiration::ExpirationManager::UnindexTokenOps(entry.id_key, entry.ExpireTime())) {
    ops.push_back(std::move(op));
  }
  return ops;
}

Status TokenStore::RevokeTree(const std::string& id_key, int depth) {
  if (depth > kMaxTreeDepth) {
    return Status::Internal("token tree is deeper than " + std::to_string(kMaxTreeDepth));
  }
  // Children first, so a crash midway leaves the parent (and the way to
  // its remaining children) in place for a retry.
  const std::string children_prefix =
      std::string(kParentPrefix) + id_key.substr(kIdPrefix.size()) + "/";
  COFFER_ASSIGN_OR_RETURN(std::vector<std::string> children, barrier_.List(children_prefix));
  for (const std::string& child_hex : children) {
    COFFER_RETURN_IF_ERROR(RevokeTree(std::string(kIdPrefix) + child_hex, depth + 1));
  }
  auto entry = LookupByKey(id_key);
  if (!entry.ok()) {
    return entry.status().code() == Code::kPermissionDenied ? Status::Ok() : entry.status();
  }
  if (revoke_hook_) {
    // Before the token goes, so a failure leaves it in place for a retry.
    COFFER_RETURN_IF_ERROR(revoke_hook_(id_key.substr(kIdPrefix.size())));
  }
  COFFER_ASSIGN_OR_RETURN(std::vector<storage::TxnOp> ops, DeleteOps(*entry));
  return Commit(ops);
}

Status TokenStore::Revoke(const std::string& id_key) {
  // Under the write lock, so no child can be created under a parent while
  // its tree is being taken down.
  std::lock_guard lock(write_mu_);
  return RevokeTree(id_key, 0);
}

Status TokenStore::RevokeOrphan(const std::string& id_key) {
  std::lock_guard lock(write_mu_);
  COFFER_ASSIGN_OR_RETURN(TokenEntry entry, LookupByKey(id_key));
  const std::string children_prefix =
      std::string(kParentPrefix) + id_key.substr(kIdPrefix.size()) + "/";
  COFFER_ASSIGN_OR_RETURN(std::vector<std::string> children, barrier_.List(children_prefix));
  std::vector<storage::TxnOp> ops;
  for (const std::string& child_hex : children) {
    const std::string child_key = std::string(kIdPrefix) + child_hex;
    auto child = LookupByKey(child_key);
    if (child.ok()) {
      child->parent_key.clear();
      ops.push_back(storage::TxnOp::Put(child_key, EncodeTokenEntry(*child)));
    }
    ops.push_back(storage::TxnOp::Delete(children_prefix + child_hex));
  }
  if (revoke_hook_) {
    COFFER_RETURN_IF_ERROR(revoke_hook_(id_key.substr(kIdPrefix.size())));
  }
  COFFER_ASSIGN_OR_RETURN(std::vector<storage::TxnOp> self, DeleteOps(entry));
  for (auto& op : self) {
    ops.push_back(std::move(op));
  }
  return Commit(ops);
}

Result<TokenEntry> TokenStore::Renew(const std::string& id_key, int64_t increment,
                                     int64_t max_ttl) {
  std::lock_guard lock(write_mu_);
  COFFER_ASSIGN_OR_RETURN(TokenEntry e, LookupByKey(id_key));
  const int64_t now = Now();
  if (e.ExpiredAt(now)) {
    return Status::PermissionDenied();
  }
  if (e.ttl == 0) {
    return e;  // a token without expiry has nothing to renew
  }
  if (!e.renewable) {
    return Status::InvalidArgument("lease is not renewable");
  }
  int64_t ttl = e.period > 0 ? e.period : (increment > 0 ? increment : e.creation_ttl);
  if (e.period == 0 && max_ttl > 0) {
    ttl = std::min(ttl, e.creation_time + max_ttl - now);
  }
  if (e.explicit_max_ttl > 0) {
    ttl = std::min(ttl, e.creation_time + e.explicit_max_ttl - now);
  }
  ttl = std::max<int64_t>(ttl, 0);
  const int64_t old_expire = e.ExpireTime();
  e.issue_time = now;
  e.ttl = ttl == 0 ? 1 : ttl;  // 0 would mean "never expires"
  std::vector<storage::TxnOp> ops = {storage::TxnOp::Put(e.id_key, EncodeTokenEntry(e))};
  for (auto& op : expiration::ExpirationManager::IndexTokenOps(e.id_key, old_expire, e.ExpireTime())) {
    ops.push_back(std::move(op));
  }
  COFFER_RETURN_IF_ERROR(Commit(ops));
  return e;
}

}  // namespace coffer::core
