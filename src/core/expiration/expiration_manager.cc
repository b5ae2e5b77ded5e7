#include "core/expiration/expiration_manager.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <exception>
#include <optional>

#include "crypto/random.h"

namespace coffer::core::expiration {

namespace {

constexpr auto kSweepInterval = std::chrono::milliseconds(250);
constexpr int64_t kMaxBackoffSeconds = 30;
constexpr std::string_view kLeaseKind = "lease";
constexpr std::string_view kTokenKind = "token";

// BackoffSeconds is the wait before retry number `attempts` (1 s, 2 s,
// 4 s, ... capped at 30 s), so a broken engine is not hammered every sweep.
int64_t BackoffSeconds(int attempts) {
  int64_t s = 1;
  for (int i = 1; i < attempts && s < kMaxBackoffSeconds; ++i) {
    s *= 2;
  }
  return std::min(s, kMaxBackoffSeconds);
}

std::optional<int64_t> ParseDigits(std::string_view s) {
  if (s.empty() || s.size() > 18) {
    return std::nullopt;
  }
  int64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') {
      return std::nullopt;
    }
    v = v * 10 + (c - '0');
  }
  return v;
}

struct EntryName {
  int64_t ms = 0;
  std::string_view kind;
};

// ParseEntryName splits "<ms>_<kind>_<hash>", the last segment of a time
// index key; nullopt for anything else (foreign keys are left alone).
std::optional<EntryName> ParseEntryName(std::string_view key) {
  const size_t slash = key.rfind('/');
  std::string_view name = slash == std::string_view::npos ? key : key.substr(slash + 1);
  const size_t a = name.find('_');
  if (a == std::string_view::npos) {
    return std::nullopt;
  }
  const size_t b = name.find('_', a + 1);
  if (b == std::string_view::npos) {
    return std::nullopt;
  }
  auto ms = ParseDigits(name.substr(0, a));
  if (!ms) {
    return std::nullopt;
  }
  return EntryName{*ms, name.substr(a + 1, b - a - 1)};
}

std::string LeaseKey(std::string_view id) { return std::string(kLeasePrefix) + std::string(id); }

}  // namespace

// ---- per-lease serialization ----

ExpirationManager::LeaseLock::LeaseLock(ExpirationManager& m, std::string id)
    : m_(m), id_(std::move(id)) {
  std::unique_lock lock(m_.busy_mu_);
  m_.busy_cv_.wait(lock, [this] { return !m_.busy_.contains(id_); });
  m_.busy_.insert(id_);
}

ExpirationManager::LeaseLock::~LeaseLock() {
  {
    std::lock_guard lock(m_.busy_mu_);
    m_.busy_.erase(id_);
  }
  m_.busy_cv_.notify_all();
}

// ---- sweep thread ----

void ExpirationManager::Start() {
  std::lock_guard life(lifecycle_mu_);
  if (sweeper_.joinable()) {
    return;
  }
  {
    std::lock_guard lock(thread_mu_);
    stopping_ = false;
  }
  sweeper_ = std::thread([this] { Run(); });
}

void ExpirationManager::Stop() {
  std::lock_guard life(lifecycle_mu_);
  if (!sweeper_.joinable()) {
    return;
  }
  {
    std::lock_guard lock(thread_mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  sweeper_.join();
}

void ExpirationManager::Run() {
  std::unique_lock lock(thread_mu_);
  while (!stopping_) {
    lock.unlock();
    // A seal racing Stop would only produce Sealed errors; skip quietly.
    if (!barrier_.sealed()) {
      // The thread must survive anything a sweep does: an escaping
      // exception would terminate the server.
      try {
        auto swept = SweepOnce();
        if (!swept.ok()) {
          spdlog::warn("expiration: sweep failed: {}", swept.status().ToString());
        }
      } catch (const std::exception& e) {
        spdlog::warn("expiration: sweep failed: {}", e.what());
      }
    }
    lock.lock();
    wake_.wait_for(lock, kSweepInterval, [this] { return stopping_; });
  }
}

// ---- helpers ----

int64_t ExpirationManager::NowMs() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(clock_.Now().time_since_epoch())
      .count();
}

Result<Lease> ExpirationManager::LoadLease(const std::string& lease_id) {
  if (lease_id.empty()) {
    return Status::InvalidArgument("invalid lease");
  }
  auto bytes = barrier_.Get(LeaseKey(lease_id));
  if (!bytes.ok()) {
    if (bytes.status().IsNotFound()) {
      return Status::InvalidArgument("invalid lease");
    }
    return bytes.status();
  }
  return Lease::FromStored(*bytes);
}

Status ExpirationManager::CollectIds(const std::string& dir, std::vector<std::string>* out) {
  COFFER_ASSIGN_OR_RETURN(auto names, barrier_.List(LeaseKey(dir)));
  for (const auto& name : names) {
    if (name.ends_with('/')) {
      COFFER_RETURN_IF_ERROR(CollectIds(dir + name, out));
    } else {
      out->push_back(dir + name);
    }
  }
  return Status::Ok();
}

Result<std::vector<std::string>> ExpirationManager::ListIndexEntries(int64_t until_ms) {
  std::vector<std::string> keys;
  const std::string root(kTimePrefix);
  COFFER_ASSIGN_OR_RETURN(auto buckets, barrier_.List(root));
  for (const auto& bucket : buckets) {
    if (!bucket.ends_with('/')) {
      continue;
    }
    auto minute = ParseDigits(std::string_view(bucket).substr(0, bucket.size() - 1));
    // Only due buckets are opened: the rest cost a name, not a read.
    if (!minute || (until_ms >= 0 && *minute > until_ms / 60'000)) {
      continue;
    }
    COFFER_ASSIGN_OR_RETURN(auto entries, barrier_.List(root + bucket));
    for (const auto& entry : entries) {
      auto parsed = ParseEntryName(entry);
      if (!parsed) {
        continue;
      }
      // Fixed-width names sort by time, so the first future entry ends the bucket.
      if (until_ms >= 0 && parsed->ms > until_ms) {
        break;
      }
      keys.push_back(root + bucket + entry);
    }
  }
  return keys;
}

// ---- register / lookup / list ----

Result<Lease> ExpirationManager::Register(const std::string& request_path,
                                          const std::string& mount_point,
                                          const std::string& token_client_id,
                                          const SecretLease& secret, int64_t ttl,
                                          int64_t max_ttl) {
  if (ttl <= 0) {
    return Status::InvalidArgument("lease ttl must be positive");
  }
  std::string path = request_path;
  while (path.ends_with('/')) {
    path.pop_back();
  }
  if (path.empty()) {
    return Status::InvalidArgument("lease needs a request path");
  }
  // The caller resolved both; still, a TTL never outlives its max.
  if (max_ttl <= 0) {
    max_ttl = ttl;
  }
  ttl = std::min(ttl, max_ttl);
  COFFER_ASSIGN_OR_RETURN(std::string random, crypto::RandomUuid());

  const int64_t now = NowMs() / 1000;
  Lease lease;
  lease.id = path + "/" + random;
  lease.mount_point = mount_point;
  lease.token_client_id = token_client_id;
  lease.secret_type = secret.type;
  lease.internal = secret.internal;
  lease.renewable = secret.renewable;
  lease.issue_time = now;
  lease.expire_time = now + ttl;
  lease.max_expire_time = now + max_ttl;
  lease.ttl = ttl;
  lease.index_ms = lease.expire_time * 1000;

  std::vector<storage::TxnOp> ops;
  ops.push_back(storage::TxnOp::Put(LeaseKey(lease.id), lease.ToStored().dump()));
  ops.push_back(storage::TxnOp::Put(lease.IndexKey(), lease.id));
  if (!token_client_id.empty()) {
    ops.push_back(storage::TxnOp::Put(TokenIndexKey(token_client_id, lease.id), lease.id));
  }
  COFFER_RETURN_IF_ERROR(barrier_.Transaction(ops));
  return lease;
}

Result<Lease> ExpirationManager::Lookup(const std::string& lease_id) {
  return LoadLease(lease_id);
}

Result<std::vector<std::string>> ExpirationManager::List(const std::string& prefix) {
  std::string dir = prefix;
  // "database/creds" lists the folder, as LIST sys/leases/lookup/ does.
  if (!dir.empty() && !dir.ends_with('/')) {
    dir += '/';
  }
  COFFER_ASSIGN_OR_RETURN(auto names, barrier_.List(LeaseKey(dir)));
  if (names.empty()) {
    return Status::NotFound("no leases found");
  }
  return names;
}

// ---- renew ----

Result<Lease> ExpirationManager::Renew(const std::string& lease_id, int64_t increment) {
  if (increment < 0) {
    return Status::InvalidArgument("increment must not be negative");
  }
  LeaseLock lock(*this, lease_id);
  COFFER_ASSIGN_OR_RETURN(Lease lease, LoadLease(lease_id));
  if (!lease.renewable) {
    return Status::InvalidArgument("lease is not renewable");
  }
  const int64_t now = NowMs() / 1000;
  if (lease.expire_time <= now) {
    return Status::InvalidArgument("lease expired");
  }
  int64_t new_ttl = increment > 0 ? increment : lease.ttl;
  if (lease.max_expire_time > 0) {
    new_ttl = std::min(new_ttl, lease.max_expire_time - now);
  }
  // The mount's limit may have been lowered since the lease was issued.
  const int64_t mount_max = engines_.MaxLeaseTtl(lease.mount_point);
  if (mount_max > 0) {
    new_ttl = std::min(new_ttl, lease.issue_time + mount_max - now);
  }
  if (new_ttl <= 0) {
    return Status::InvalidArgument("lease is past its maximum TTL");
  }
  COFFER_RETURN_IF_ERROR(engines_.Renew(lease, new_ttl));

  const std::string old_index = lease.IndexKey();
  lease.last_renewal_time = now;
  lease.expire_time = now + new_ttl;
  lease.index_ms = lease.expire_time * 1000;
  std::vector<storage::TxnOp> ops;
  ops.push_back(storage::TxnOp::Put(LeaseKey(lease.id), lease.ToStored().dump()));
  if (old_index != lease.IndexKey()) {
    ops.push_back(storage::TxnOp::Delete(old_index));
  }
  ops.push_back(storage::TxnOp::Put(lease.IndexKey(), lease.id));
  COFFER_RETURN_IF_ERROR(barrier_.Transaction(ops));
  return lease;
}

// ---- revoke ----

Status ExpirationManager::RevokeLocked(Lease lease, bool force, bool* engine_failed) {
  *engine_failed = false;
  const Status engine = engines_.Revoke(lease);
  if (!engine.ok()) {
    *engine_failed = true;
    if (!force) {
      // Keep the lease (it still exists at the engine) and retry later.
      const std::string old_index = lease.IndexKey();
      lease.revoke_attempts++;
      lease.last_revoke_error = engine.message();
      const int64_t backoff = BackoffSeconds(lease.revoke_attempts);
      lease.index_ms = NowMs() + backoff * 1000;
      std::vector<storage::TxnOp> ops;
      ops.push_back(storage::TxnOp::Put(LeaseKey(lease.id), lease.ToStored().dump()));
      if (old_index != lease.IndexKey()) {
        ops.push_back(storage::TxnOp::Delete(old_index));
      }
      ops.push_back(storage::TxnOp::Put(lease.IndexKey(), lease.id));
      COFFER_RETURN_IF_ERROR(barrier_.Transaction(ops));
      spdlog::warn("expiration: revoking lease {} failed (attempt {}), retrying in {}s: {}",
                   lease.id, lease.revoke_attempts, backoff, engine.ToString());
      return Status::Unavailable("failed to revoke lease " + lease.id + ": " + engine.message());
    }
    spdlog::warn("expiration: force-revoking lease {} although its engine failed: {}", lease.id,
                 engine.ToString());
  }
  std::vector<storage::TxnOp> ops;
  ops.push_back(storage::TxnOp::Delete(LeaseKey(lease.id)));
  ops.push_back(storage::TxnOp::Delete(lease.IndexKey()));
  if (!lease.token_client_id.empty()) {
    ops.push_back(storage::TxnOp::Delete(TokenIndexKey(lease.token_client_id, lease.id)));
  }
  return barrier_.Transaction(ops);
}

Status ExpirationManager::RevokeId(const std::string& lease_id, bool force, bool* engine_failed) {
  *engine_failed = false;
  LeaseLock lock(*this, lease_id);
  auto lease = LoadLease(lease_id);
  if (!lease.ok()) {
    // Already gone (revoked concurrently): nothing left to do.
    return lease.status().IsInvalidArgument() ? Status::Ok() : lease.status();
  }
  return RevokeLocked(std::move(lease).value(), force, engine_failed);
}

// Revoke of an unknown lease succeeds, as in Vault: the caller wanted it
// gone and it is.
Status ExpirationManager::Revoke(const std::string& lease_id) {
  if (lease_id.empty()) {
    return Status::InvalidArgument("invalid lease");
  }
  bool engine_failed = false;
  return RevokeId(lease_id, /*force=*/false, &engine_failed);
}

Status ExpirationManager::RevokePrefix(const std::string& prefix, bool force) {
  std::vector<std::string> ids;
  if (prefix.empty() || prefix.ends_with('/')) {
    COFFER_RETURN_IF_ERROR(CollectIds(prefix, &ids));
  } else {
    // A path boundary is implied: "db/creds" is the lease "db/creds" itself
    // and everything under "db/creds/", never "db/credsX".
    auto exact = barrier_.Get(LeaseKey(prefix));
    if (exact.ok()) {
      ids.push_back(prefix);
    } else if (!exact.status().IsNotFound()) {
      return exact.status();
    }
    COFFER_RETURN_IF_ERROR(CollectIds(prefix + "/", &ids));
  }
  Status first;
  for (const auto& id : ids) {
    bool engine_failed = false;
    Status st = RevokeId(id, force, &engine_failed);
    if (!st.ok() && first.ok()) {
      first = st;
    }
  }
  return first;
}

// RevokeByToken returns only storage errors: a lease whose engine fails is
// already rescheduled for retry by the sweep (RevokeLocked), and the token
// itself must still be revocable when one engine is down.
Status ExpirationManager::RevokeByToken(const std::string& token_client_id) {
  if (token_client_id.empty()) {
    return Status::Ok();
  }
  const std::string dir = std::string(kTokenPrefix) + token_client_id + "/";
  COFFER_ASSIGN_OR_RETURN(auto names, barrier_.List(dir));
  for (const auto& name : names) {
    if (name.ends_with('/')) {
      continue;
    }
    const std::string key = dir + name;
    auto lease_id = barrier_.Get(key);
    if (!lease_id.ok()) {
      if (lease_id.status().IsNotFound()) {
        continue;
      }
      return lease_id.status();
    }
    auto exists = barrier_.Get(LeaseKey(*lease_id));
    if (!exists.ok()) {
      if (!exists.status().IsNotFound()) {
        return exists.status();
      }
      COFFER_RETURN_IF_ERROR(barrier_.Delete(key));  // dangling entry
      continue;
    }
    bool engine_failed = false;
    Status st = RevokeId(*lease_id, /*force=*/false, &engine_failed);
    if (!st.ok() && !engine_failed) {
      return st;
    }
  }
  return Status::Ok();
}

// ---- token expiry index ----

std::vector<storage::TxnOp> ExpirationManager::IndexTokenOps(const std::string& id_key,
                                                             int64_t old_expire_time,
                                                             int64_t expire_time) {
  std::vector<storage::TxnOp> ops;
  if (old_expire_time > 0 && old_expire_time != expire_time) {
    ops.push_back(storage::TxnOp::Delete(TimeIndexKey(old_expire_time * 1000, kTokenKind, id_key)));
  }
  // A token without expiry (expire_time 0) has nothing to index.
  if (expire_time > 0) {
    ops.push_back(storage::TxnOp::Put(TimeIndexKey(expire_time * 1000, kTokenKind, id_key), id_key));
  }
  return ops;
}

std::vector<storage::TxnOp> ExpirationManager::UnindexTokenOps(const std::string& id_key,
                                                               int64_t expire_time) {
  std::vector<storage::TxnOp> ops;
  if (expire_time > 0) {
    ops.push_back(storage::TxnOp::Delete(TimeIndexKey(expire_time * 1000, kTokenKind, id_key)));
  }
  return ops;
}

// ---- sweep ----

Result<bool> ExpirationManager::SweepLeaseEntry(const std::string& index_key, int64_t now_ms) {
  auto lease_id = barrier_.Get(index_key);
  if (!lease_id.ok()) {
    // Removed since the listing (revoked or renewed meanwhile).
    return lease_id.status().IsNotFound() ? Result<bool>(false) : Result<bool>(lease_id.status());
  }
  LeaseLock lock(*this, *lease_id);
  auto lease = LoadLease(*lease_id);
  if (!lease.ok()) {
    if (!lease.status().IsInvalidArgument()) {
      return lease.status();
    }
    COFFER_RETURN_IF_ERROR(barrier_.Delete(index_key));  // points at nothing
    return false;
  }
  // Re-checked under the lease's lock: a renewal or failed revocation may
  // have moved the entry since the listing; a stale entry is just dropped.
  if (lease->IndexKey() != index_key) {
    COFFER_RETURN_IF_ERROR(barrier_.Delete(index_key));
    return false;
  }
  if (lease->index_ms > now_ms) {
    return false;
  }
  bool engine_failed = false;
  Status st = RevokeLocked(std::move(lease).value(), /*force=*/false, &engine_failed);
  if (engine_failed) {
    return false;  // rescheduled with backoff and logged by RevokeLocked
  }
  COFFER_RETURN_IF_ERROR(st);
  return true;
}

Result<int64_t> ExpirationManager::SweepOnce() {
  const int64_t now_ms = NowMs();
  COFFER_ASSIGN_OR_RETURN(auto keys, ListIndexEntries(now_ms));
  int64_t ended = 0;
  for (const auto& key : keys) {
    auto entry = ParseEntryName(key);
    if (!entry) {
      continue;
    }
    if (entry->kind == kLeaseKind) {
      COFFER_ASSIGN_OR_RETURN(bool done, SweepLeaseEntry(key, now_ms));
      ended += done ? 1 : 0;
    } else if (entry->kind == kTokenKind) {
      auto id_key = barrier_.Get(key);
      if (!id_key.ok()) {
        if (id_key.status().IsNotFound()) {
          continue;
        }
        return id_key.status();
      }
      Status st = engines_.ExpireToken(*id_key);
      if (!st.ok()) {
        // Left in place: the next sweep tries again.
        spdlog::warn("expiration: expiring a token failed: {}", st.ToString());
        continue;
      }
      // Usually already gone (revoking the token unindexes it).
      COFFER_RETURN_IF_ERROR(barrier_.Delete(key));
      ++ended;
    }
  }
  return ended;
}

// ---- tidy ----

Result<int64_t> ExpirationManager::Tidy() {
  int64_t fixed = 0;

  // Time index entries that point at no lease, or not at its current entry.
  COFFER_ASSIGN_OR_RETURN(auto keys, ListIndexEntries(-1));
  for (const auto& key : keys) {
    auto entry = ParseEntryName(key);
    if (!entry || entry->kind != kLeaseKind) {
      continue;  // token entries are checked by ExpireToken when due
    }
    auto lease_id = barrier_.Get(key);
    if (!lease_id.ok()) {
      if (lease_id.status().IsNotFound()) {
        continue;
      }
      return lease_id.status();
    }
    LeaseLock lock(*this, *lease_id);
    auto lease = LoadLease(*lease_id);
    if (!lease.ok() && !lease.status().IsInvalidArgument()) {
      return lease.status();
    }
    if (!lease.ok() || lease->IndexKey() != key) {
      COFFER_RETURN_IF_ERROR(barrier_.Delete(key));
      ++fixed;
    }
  }

  // Token index entries whose lease is gone.
  const std::string token_root(kTokenPrefix);
  COFFER_ASSIGN_OR_RETURN(auto clients, barrier_.List(token_root));
  for (const auto& client : clients) {
    if (!client.ends_with('/')) {
      continue;
    }
    COFFER_ASSIGN_OR_RETURN(auto names, barrier_.List(token_root + client));
    for (const auto& name : names) {
      const std::string key = token_root + client + name;
      auto lease_id = barrier_.Get(key);
      if (!lease_id.ok()) {
        if (lease_id.status().IsNotFound()) {
          continue;
        }
        return lease_id.status();
      }
      LeaseLock lock(*this, *lease_id);
      auto exists = barrier_.Get(LeaseKey(*lease_id));
      if (exists.ok()) {
        continue;
      }
      if (!exists.status().IsNotFound()) {
        return exists.status();
      }
      COFFER_RETURN_IF_ERROR(barrier_.Delete(key));
      ++fixed;
    }
  }

  // Leases missing an index entry: without it they would never expire.
  std::vector<std::string> ids;
  COFFER_RETURN_IF_ERROR(CollectIds("", &ids));
  for (const auto& id : ids) {
    LeaseLock lock(*this, id);
    auto lease = LoadLease(id);
    if (!lease.ok()) {
      if (lease.status().IsInvalidArgument()) {
        continue;  // revoked meanwhile
      }
      spdlog::warn("expiration: tidy skips unreadable lease {}: {}", id, lease.status().ToString());
      continue;
    }
    std::vector<std::string> missing = {lease->IndexKey()};
    if (!lease->token_client_id.empty()) {
      missing.push_back(TokenIndexKey(lease->token_client_id, lease->id));
    }
    for (const auto& key : missing) {
      auto got = barrier_.Get(key);
      if (got.ok()) {
        continue;
      }
      if (!got.status().IsNotFound()) {
        return got.status();
      }
      COFFER_RETURN_IF_ERROR(barrier_.Put(key, lease->id));
      ++fixed;
    }
  }
  return fixed;
}

}  // namespace coffer::core::expiration
