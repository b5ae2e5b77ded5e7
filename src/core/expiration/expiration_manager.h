// ExpirationManager: every leased secret and every expiring service token
// ends on time (Vault's ExpirationManager). Leases are persisted through the
// barrier with a time-ordered index (lease.h); a sweep thread wakes at
// least every 250 ms, reads only the index buckets that are due, and
// revokes what has expired, so a lease ends within a second of its expiry,
// also when the server restarted in between.
//
// A revocation asks the lease's engine first (LeaseEngines::Revoke); when
// that fails the lease stays visible, records the error and is retried
// with exponential backoff (1 s doubling to 30 s) until it succeeds or is
// force-revoked.
//
// Thread-safe. Operations on one lease are serialized (a renewal never
// races its revocation); the sweep and the API may run at once.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "barrier/barrier.h"
#include "base/clock.h"
#include "base/status.h"
#include "core/expiration/lease.h"
#include "core/request.h"

namespace coffer::core::expiration {

// What the manager needs from the core: the engines behind the leases, the
// token store and the mounts' TTL limits. Implementations are thread-safe.
class LeaseEngines {
 public:
  virtual ~LeaseEngines() = default;
  // Revoke asks the lease's engine to undo the secret. OK when the mount
  // is gone (nothing is left to undo).
  virtual Status Revoke(const Lease& lease) = 0;
  // Renew asks the lease's engine to extend the secret to `new_ttl`
  // seconds from now; an error refuses the renewal.
  virtual Status Renew(const Lease& lease, int64_t new_ttl) = 0;
  // MaxLeaseTtl is the max lease TTL (seconds) of the mount at
  // `mount_point`, the system's when it has none; 0 when the mount is gone.
  virtual int64_t MaxLeaseTtl(const std::string& mount_point) = 0;
  // ExpireToken revokes the service token stored at `id_key` if it has
  // expired (a renewal since it was indexed re-indexes it, so normally it
  // has). Revoking a token revokes its leases through RevokeByToken.
  virtual Status ExpireToken(const std::string& id_key) = 0;
};

class ExpirationManager {
 public:
  ExpirationManager(barrier::Barrier& barrier, const Clock& clock, LeaseEngines& engines)
      : barrier_(barrier), clock_(clock), engines_(engines) {}
  ~ExpirationManager() { Stop(); }
  ExpirationManager(const ExpirationManager&) = delete;
  ExpirationManager& operator=(const ExpirationManager&) = delete;

  // Start launches the sweep thread (after unseal); Stop joins it (before
  // seal). Both are idempotent.
  void Start();
  void Stop();

  // Register persists a lease for `secret`, returned by a request to
  // `request_path` ("database/creds/ro") on the mount at `mount_point`.
  // `ttl` and `max_ttl` are already resolved by the caller (non-zero
  // seconds). The lease, its time index and its token index are written in
  // one transaction.
  Result<Lease> Register(const std::string& request_path, const std::string& mount_point,
                         const std::string& token_client_id, const SecretLease& secret,
                         int64_t ttl, int64_t max_ttl);

  // Lookup returns the lease; InvalidArgument "invalid lease" when unknown
  // (Vault's wording and status).
  Result<Lease> Lookup(const std::string& lease_id);

  // List returns the names directly below `prefix` among live lease ids,
  // folders with a trailing '/', as LIST sys/leases/lookup/<prefix> does.
  // NotFound when there are none.
  Result<std::vector<std::string>> List(const std::string& prefix);

  // Renew extends the lease by `increment` seconds from now (0: its
  // original TTL), capped by its max_expire_time and the mount's max lease
  // TTL; the engine is asked first. InvalidArgument for a lease that is not
  // renewable, unknown, or already expired.
  Result<Lease> Renew(const std::string& lease_id, int64_t increment);

  // Revoke asks the engine, then deletes the lease and its index entries.
  // When the engine fails the lease is kept, scheduled for retry, and the
  // error is returned (Unavailable naming the lease and the cause).
  Status Revoke(const std::string& lease_id);

  // RevokePrefix revokes every lease whose id starts with `prefix` (a path
  // boundary is implied: "database/creds" covers "database/creds/..."). With
  // `force`, leases whose engine fails are removed anyway (revoke-force).
  // Without it, the first failure is returned after every lease was tried.
  Status RevokePrefix(const std::string& prefix, bool force);

  // RevokeByToken revokes every lease obtained by the token with this
  // client id; failing ones stay for retry. Called when a token is revoked.
  Status RevokeByToken(const std::string& token_client_id);

  // Token expiry: IndexTokenOps returns the storage ops that (re)index a
  // token expiring at `expire_time` (unix seconds), replacing the index
  // entry for `old_expire_time` if non-zero; UnindexTokenOps removes it.
  // The token store commits them with its own writes.
  static std::vector<storage::TxnOp> IndexTokenOps(const std::string& id_key,
                                                   int64_t old_expire_time,
                                                   int64_t expire_time);
  static std::vector<storage::TxnOp> UnindexTokenOps(const std::string& id_key,
                                                     int64_t expire_time);

  // Tidy removes index entries that point at nothing (a crash between
  // writes of an older version, a lease removed by hand) and leases whose
  // index entry is missing get one again. Returns how many it fixed.
  Result<int64_t> Tidy();

  // SweepOnce revokes everything due at the clock's now; the sweep thread
  // calls it, and tests call it directly with a fake clock. Returns how many
  // leases and tokens it ended.
  Result<int64_t> SweepOnce();

 private:
  // LeaseLock serializes operations on one lease id: while it is held no
  // other renewal, revocation or sweep touches that lease. Ids rather than
  // hashed stripes, so two different leases never wait on each other (an
  // engine's Revoke may itself end another lease).
  class LeaseLock {
   public:
    LeaseLock(ExpirationManager& m, std::string id);
    ~LeaseLock();
    LeaseLock(const LeaseLock&) = delete;
    LeaseLock& operator=(const LeaseLock&) = delete;

   private:
    ExpirationManager& m_;
    std::string id_;
  };

  int64_t NowMs() const;
  // LoadLease reads a lease; InvalidArgument "invalid lease" when unknown.
  Result<Lease> LoadLease(const std::string& lease_id);
  // RevokeLocked ends `lease` (its LeaseLock held): engine first, then the
  // lease and its index entries in one transaction. When the engine fails
  // it sets *engine_failed and, unless `force`, reschedules the lease with
  // backoff and returns Unavailable; with `force` it deletes it anyway.
  Status RevokeLocked(Lease lease, bool force, bool* engine_failed);
  // RevokeId locks and revokes one lease id; OK when it no longer exists.
  Status RevokeId(const std::string& lease_id, bool force, bool* engine_failed);
  // CollectIds appends every lease id stored below kLeasePrefix + dir
  // (dir is "" or ends in '/'), recursing into folders.
  Status CollectIds(const std::string& dir, std::vector<std::string>* out);
  // SweepLeaseEntry handles one due "lease" index entry; true when it
  // ended the lease.
  Result<bool> SweepLeaseEntry(const std::string& index_key, int64_t now_ms);
  // ListIndexEntries returns the full keys of every time index entry due at
  // or before `until_ms` (all of them when until_ms < 0).
  Result<std::vector<std::string>> ListIndexEntries(int64_t until_ms);
  void Run();

  barrier::Barrier& barrier_;
  const Clock& clock_;
  LeaseEngines& engines_;

  std::mutex busy_mu_;
  std::condition_variable busy_cv_;
  std::set<std::string> busy_;  // lease ids locked by a LeaseLock; guarded by busy_mu_

  // Held for the whole of Start and Stop (including the join), so a Start
  // racing a Stop cannot lose its thread; the sweeper never takes it.
  std::mutex lifecycle_mu_;
  std::mutex thread_mu_;
  std::condition_variable wake_;
  bool stopping_ = false;  // guarded by thread_mu_
  std::thread sweeper_;    // guarded by lifecycle_mu_
};

}  // namespace coffer::core::expiration
