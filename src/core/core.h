// Core: the server's state machine (uninitialized → sealed → unsealed) and
// the entry point of every logical request (DESIGN.md, "Request flow").
// It knows nothing of HTTP.
//
// Thread-safe: Handle may be called from many worker threads at once.
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "audit/broker.h"
#include "barrier/barrier.h"
#include "base/clock.h"
#include "base/status.h"
#include "core/audit_record.h"
#include "core/expiration/expiration_manager.h"
#include "core/lockout.h"
#include "core/mount_table.h"
#include "core/password/password_policy_store.h"
#include "core/policy_store.h"
#include "core/request.h"
#include "core/router.h"
#include "core/seal_config.h"
#include "core/token_store.h"
#include "crypto/secure_buffer.h"
#include "storage/backend.h"

namespace coffer::core {

inline constexpr std::string_view kVersion = "0.1.0";

struct SealStatus {
  bool initialized = false;
  bool sealed = true;
  int threshold = 0;
  int shares = 0;
  int progress = 0;
  std::string nonce;
  std::string cluster_name;
  std::string cluster_id;
};

struct InitResult {
  std::vector<std::string> keys_hex;
  std::vector<std::string> keys_base64;
  std::string root_token;
};

class CoreLeaseEngines;

class Core final : public RequestHandler {
 public:
  struct Options {
    const Clock* clock = &Clock::Real();
    std::string storage_type;  // shown in seal-status
    int64_t default_lease_ttl = 32 * 24 * 3600;  // seconds, config default_lease_ttl
    int64_t max_lease_ttl = 32 * 24 * 3600;      // seconds, config max_lease_ttl
  };

  // Open reads whether `physical` is initialized; it starts sealed.
  // `physical` must outlive the Core.
  static Result<std::unique_ptr<Core>> Open(storage::Backend& physical, Options options);
  ~Core() override;

  // Initialize generates the master key, splits a new unseal key into
  // shares, creates a root token (`root_token_id`, or a random one) and
  // commits all of it in one transaction. The Core stays sealed, as Vault's.
  Result<InitResult> Initialize(const SealConfig& config, const std::string& root_token_id = "");

  // SubmitUnsealKey adds one decoded share. Once the threshold is reached it
  // tries to unseal; on failure progress resets. InvalidArgument for a
  // malformed, duplicate or wrong share.
  Status SubmitUnsealKey(crypto::SecureBuffer share);
  // ResetUnseal discards the shares given so far.
  void ResetUnseal();
  // Seal wipes every key from memory.
  void Seal();

  SealStatus GetSealStatus();
  bool initialized() const { return initialized_.load(std::memory_order_acquire); }
  bool sealed() const { return barrier_.sealed(); }
  const Clock& clock() const { return *options_.clock; }
  const std::string& storage_type() const { return options_.storage_type; }

  // Handle waits for HandleAsync's answer.
  Result<Response> Handle(const Request& request) override;
  // With audit devices, the response entry is written after this returns
  // and `done` runs once it is durable (or with Unavailable when no device
  // took it), on a device's writer thread.
  // Requests to engines that WritesOnlyStorage (KV, AppRole); never sys/.
  bool BlocksOnlyOnStorage(const Request& request) override;
  void HandleAsync(const Request& request, const Completion& done) override;
  // Serves KV reads and lists (engines that declare ReadsWithoutBlocking)
  // on the calling thread; with audit devices, the request and response
  // entries are written together afterwards and `done` runs once they are
  // durable (or with Unavailable when no device took them).
  bool HandleWithoutBlocking(const Request& request, const Completion& done) override;

  // Mount management (sys/mounts, sys/remount, sys/mounts/<path>/tune).
  // Paths are normalized ("secret" → "secret/"); auth mounts live under
  // "auth/". Changes are persisted before they take effect in the router.
  Status Mount(MountEntry entry);
  Status Unmount(const std::string& path);
  Status Remount(const std::string& from, const std::string& to);
  Status Tune(const std::string& path, const std::function<Status(MountEntry&)>& change);
  std::vector<MountEntry> Mounts(bool auth) const;
  Result<MountEntry> MountFor(const std::string& path) const;

  // Effective lease TTLs of a mount (its tuning, else the system's).
  int64_t DefaultLeaseTtl(const MountEntry& mount) const;
  int64_t MaxLeaseTtl(const MountEntry& mount) const;

  barrier::Barrier& barrier() { return barrier_; }
  TokenStore& tokens() { return tokens_; }
  PolicyStore& policies() { return policies_; }
  LoginLockout& lockout() { return lockout_; }
  password::PasswordPolicyStore& password_policies() { return password_policies_; }
  expiration::ExpirationManager& leases() { return *leases_; }
  const Options& options() const { return options_; }

  // WrapResponse stores `response` behind a new single-use wrapping token
  // valid for `ttl` seconds and returns the response that carries wrap_info.
  Result<Response> WrapResponse(const Response& response, int64_t ttl,
                                const std::string& creation_path);
  // Unwrap returns the wrapped response and destroys the wrapping token;
  // PermissionDenied when the token is not a live wrapping token.
  Result<Response> Unwrap(const std::string& wrapping_token);
  // WrapLookup describes a wrapping token without consuming it.
  Result<nlohmann::json> WrapLookup(const std::string& wrapping_token);

  // Audit devices (sys/audit). EnableAudit opens the device and writes its
  // first line before anything is persisted: a device that cannot write is
  // refused with the sink's error. Changes are persisted at core/audit.
  Status EnableAudit(audit::DeviceSpec spec);
  Status DisableAudit(const std::string& path);
  std::vector<audit::DeviceSpec> AuditDevices() const { return audit_.Specs(); }
  // AuditHash is sys/audit-hash/<path>: `input` HMAC'd as device `path` does.
  Result<std::string> AuditHash(const std::string& path, std::string_view input) const;
  // AuditCheckpointValid tells whether `hmac_hex` is the checkpoint HMAC of
  // chain head (seq, prev) under this server's checkpoint key.
  Result<bool> AuditCheckpointValid(uint64_t seq, std::string_view prev,
                                    std::string_view hmac_hex);
  // ReopenAudit reopens every device's destination (SIGHUP, logrotate).
  void ReopenAudit() { audit_.Reopen(); }

  int64_t NowUnix() const;

  // IsRootPath tells whether `path` needs sudo (Vault's root-protected paths).
  static bool IsRootPath(std::string_view path);

 private:
  Core(storage::Backend& physical, Options options);
  // FinishAudited writes the entries of `record` not yet written, with
  // `result` (which they borrow, so it is kept until they are), then
  // calls `done` with `result` or, if no device took them, Unavailable.
  void FinishAudited(AuditRecord& record, std::shared_ptr<Result<Response>> result,
                     const Completion& done);
  // `record` is null when no audit device is enabled.
  Result<Response> Serve(const Request& request, AuditRecord* record);
  // ServeAsToken is Serve once the token was looked up (and a use spent).
  Result<Response> ServeAsToken(const Request& request, const TokenEntry& token,
                                AuditRecord* record);
  Result<Response> HandleAsToken(const Request& request, const TokenEntry& token,
                                 AuditRecord* record);
  Result<Response> HandleWrapping(const Request& request, bool* handled, AuditRecord* record);
  // BatchTokenAnswer answers what a batch token cannot do through the token
  // store (lookup-self) or at all (renew, revoke, cubbyhole); nullopt for
  // everything else.
  std::optional<Result<Response>> BatchTokenAnswer(const Request& request,
                                                   const MountedEngine& mount,
                                                   const TokenEntry& token);
  // LogRequest writes the request entry just before the operation runs
  // (write-ahead); a failure means the operation must not run. Given
  // `run_ahead` (an engine that WritesOnlyStorage), it hands the entry to
  // the audit log without waiting and fills `run_ahead` with a scope that
  // holds this thread's storage writes back until the entry is durable
  // (the record's write_ahead gate); the caller keeps it for as long as
  // the operation runs.
  Status LogRequest(AuditRecord* record,
                    std::optional<storage::WriteGate::Scope>* run_ahead = nullptr);
  // X-Vault-Wrap-TTL as seconds, nullopt when absent; 400 when malformed.
  static Result<std::optional<int64_t>> ParseWrapTtl(const Request& request);
  // HandleLogin serves an auth method's login path (no token, no ACL).
  Result<Response> HandleLogin(const Request& request, const Router::Match& route,
                               AuditRecord* record);
  Result<Response> IssueLoginToken(const LoginGrant& grant, const MountEntry& mount,
                                   const Request& request);
  friend class CoreLeaseEngines;
  // Creates lease_engines_ and leases_ (core_leases.cc, where the
  // LeaseEngines implementation lives).
  void CreateExpirationManager();
  // ContextFor is the EngineRequest every call into `mount`'s engine starts
  // from: its storage, mount point, clock, system view and lease TTLs.
  EngineRequest ContextFor(const MountedEngine& mount) const;
  // RegisterLease turns an engine's SecretLease into a lease owned by
  // `token` and fills the response's lease fields. When the lease cannot be
  // stored the engine is asked to revoke the secret it just created.
  Status RegisterLease(const std::string& request_path, const MountedEngine& mount,
                       const TokenEntry& token, Response& response);
  // The background work of an unsealed core: the lease sweep and the
  // engines' Periodic calls. Started at unseal, stopped before sealing.
  void StartBackground();
  void StopBackground();
  void RunPeriodic();
  Status SetupAudit();
  Status FinishUnseal(crypto::SecureBuffer master);
  Status SetupMounts();
  Result<std::shared_ptr<MountedEngine>> Instantiate(const MountEntry& entry);
  Status PersistMounts(bool auth, const std::vector<MountEntry>& entries);

  storage::Backend& physical_;
  const Options options_;
  barrier::Barrier barrier_;
  TokenStore tokens_;
  PolicyStore policies_;
  Router router_;
  audit::Broker audit_;
  AuditAuthCache audit_auth_;
  LoginLockout lockout_;
  password::PasswordPolicyStore password_policies_{barrier_};
  // Routes lease renewals and revocations to engines (core_leases.cc).
  std::unique_ptr<expiration::LeaseEngines> lease_engines_;
  std::unique_ptr<expiration::ExpirationManager> leases_;
  std::mutex periodic_mu_;
  std::condition_variable periodic_wake_;
  bool periodic_stop_ = false;  // guarded by periodic_mu_
  std::thread periodic_thread_;
  // Serializes changes to the audit table (rare), not logging.
  std::mutex audit_mu_;
  // Serializes changes to the mount tables (rare), not request routing.
  mutable std::mutex mounts_mu_;
  std::atomic<bool> initialized_{false};

  std::mutex unseal_mu_;  // serializes init, unseal progress and seal
  std::vector<crypto::SecureBuffer> unseal_shares_;  // guarded by unseal_mu_
  std::string unseal_nonce_;                         // guarded by unseal_mu_
  SealConfig seal_config_;                           // guarded by unseal_mu_
  std::string cluster_name_;                         // guarded by unseal_mu_
  std::string cluster_id_;                           // guarded by unseal_mu_
};

}  // namespace coffer::core
