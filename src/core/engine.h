// core::Engine: a mount's backend (Vault's logical.Backend). The Router
// hands an engine requests whose path is relative to its mount and a
// storage view that holds only that mount's data (already behind the
// barrier). Engines never see HTTP, tokens, ACLs or audit.
//
// Implementations must guarantee:
//  - Thread safety: Handle may run concurrently for different requests.
//  - Bad input yields InvalidArgument (400) with a message for the client;
//    a path the engine does not serve yields NotFound with Vault's
//    "unsupported path" wording; an operation a path does not support
//    yields Unsupported (405).
//  - A failed write leaves storage as it was (use Transaction for
//    multi-key changes).
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/clock.h"
#include "base/status.h"
#include "core/request.h"
#include "storage/backend.h"

namespace coffer::core {

// SystemView: what the core offers engines beyond their own storage
// (Vault's logical.SystemView). Implementations are thread-safe.
class SystemView {
 public:
  virtual ~SystemView() = default;
  // GeneratePassword makes a password from the named password policy
  // (sys/policies/password/<name>), or from Vault's default policy (20
  // characters of letters and digits, at least one of each class) when
  // `policy_name` is empty. NotFound/InvalidArgument for an unknown policy.
  virtual Result<std::string> GeneratePassword(std::string_view policy_name) const = 0;
};

// What an engine worked out about a request while telling create from
// update (its route, its parsed fields), kept with the request so Handle
// does not work it out again. Only the engine that made it reads it.
struct PreparedRequest {
  virtual ~PreparedRequest() = default;
};

struct EngineRequest {
  Operation operation = Operation::kRead;
  // Path below the mount point, e.g. "data/foo" for "secret/data/foo".
  std::string path;
  // The request body, with the query parameters of a read or list merged in
  // (as Vault does for GET parameters).
  nlohmann::json data = nlohmann::json::object();
  // The mount's own storage view (keys are relative to the mount).
  storage::Backend* storage = nullptr;
  // "secret/", with its trailing slash.
  std::string mount_point;
  // An opaque, stable identifier of the calling token, for engines whose
  // data is per-token (cubbyhole). Never the token itself.
  std::string client_id;
  // The client's address ("127.0.0.1"), for CIDR bindings of auth methods.
  std::string remote_address;
  // The TLS client certificate chain (leaf first, PEM) of a login request;
  // empty otherwise. Not verified: cert auth decides whom it trusts.
  std::string client_cert_pem;
  const Clock* clock = &Clock::Real();
  // Core services; null only in unit tests that do not need them.
  const SystemView* system = nullptr;
  // The mount's effective lease TTLs in seconds (its tuning, else the
  // system's), for engines that must know a lease's length in advance
  // (a database user's VALID UNTIL). 0 in unit tests that do not set them.
  int64_t default_lease_ttl = 0;
  int64_t max_lease_ttl = 0;
  // Left by the engine's ExistsAndPrepare for its Handle; null otherwise.
  std::shared_ptr<const PreparedRequest> prepared;
};

// A lease an engine is asked to renew or revoke (see SecretLease).
struct LeaseInfo {
  std::string lease_id;
  std::string type;  // SecretLease::type
  nlohmann::json internal = nlohmann::json::object();
  int64_t issue_time = 0;   // unix seconds
  int64_t expire_time = 0;  // unix seconds, before this renewal
  // For a renewal: the TTL the lease will have from now if the engine
  // agrees (already capped by the lease's and the mount's maximum).
  int64_t new_ttl = 0;
};

class Engine {
 public:
  virtual ~Engine() = default;

  // Handle serves one request. For a write (kCreate or kUpdate) the Router
  // has already asked Exists to tell create from update, as Vault's
  // existence check does, so ACLs can tell the two apart.
  virtual Result<Response> Handle(const EngineRequest& request) = 0;

  // Exists reports whether a write to request.path would update an existing
  // item (true) or create one (false). Engines without the notion answer
  // true, so writes need the "update" capability.
  virtual Result<bool> Exists(const EngineRequest& request) = 0;

  // ExistsAndPrepare is Exists for a request the core is about to Handle
  // (with the same path and data; only the operation may change, from
  // update to create). An engine may leave in request->prepared what it
  // worked out on the way, so Handle does not do it again. The default
  // asks Exists.
  virtual Result<bool> ExistsAndPrepare(EngineRequest* request) { return Exists(*request); }

  // Type is the engine's registered name ("kv", "cubbyhole", ...).
  virtual std::string_view Type() const = 0;

  // ReadsWithoutBlocking tells whether every read and list this engine
  // serves only reads storage: no storage write, no network call, no side
  // effect. The core may then serve them on an IO thread and write their
  // audit entries after they ran (nothing happened that needed recording
  // first). Engines whose reads create things (dynamic credentials) or
  // call out must answer false, the default.
  virtual bool ReadsWithoutBlocking() const { return false; }

  // WritesOnlyStorage tells whether every operation this engine serves has
  // no effect but its writes to the core's storage: no network call, no
  // external system, nothing done before or besides those writes. The core
  // may then run an operation while its write-ahead request entry is still
  // being written, holding the operation's storage writes back until the
  // entry is durable (storage::WriteGate), instead of waiting first.
  virtual bool WritesOnlyStorage() const { return false; }

  // IsLoginPath tells whether `path` (relative to the mount) is an auth
  // method's login: the core serves it without a token or ACL check, and
  // turns the LoginGrant it answers with into a token.
  virtual bool IsLoginPath(std::string_view path) const {
    (void)path;
    return false;
  }

  // LoginAlias names who a login request is for (the user name, the
  // role_id), for login lockout; "" when there is nobody to lock out.
  virtual std::string LoginAlias(const EngineRequest& request) const {
    (void)request;
    return "";
  }

  // RevokeSecret undoes what a leased secret granted (drops the database
  // user). `context` carries the mount's storage, clock and system view;
  // its path and data are empty. Must be idempotent: a revocation that
  // failed half way is retried, and one that already happened must answer
  // OK. An error keeps the lease, and the core retries it with backoff.
  virtual Status RevokeSecret(const EngineRequest& context, const LeaseInfo& lease) {
    (void)context;
    (void)lease;
    return Status::Ok();
  }

  // RenewSecret extends a leased secret to lease.new_ttl seconds from now
  // (runs renew statements); an error refuses the renewal and leaves the
  // lease as it was. The default has nothing to extend.
  virtual Status RenewSecret(const EngineRequest& context, const LeaseInfo& lease) {
    (void)context;
    (void)lease;
    return Status::Ok();
  }

  // Periodic runs about once a second for every mount, on a core thread
  // and never concurrently with itself for one mount (static-role
  // rotation). It must not block for long: it delays other mounts.
  virtual void Periodic(const EngineRequest& context) { (void)context; }
};

// What a mount gives its engine when it is created.
struct EngineConfig {
  std::string type;
  std::string mount_point;
  // The mount's options, e.g. {"version": "2"} for KV.
  std::map<std::string, std::string> options;
};

using EngineFactory = Result<std::unique_ptr<Engine>> (*)(const EngineConfig& config);

// RegisterEngine adds a factory under `type`; engines call it from a static
// registrar (COFFER_REGISTER_ENGINE) in their own folder.
bool RegisterEngine(std::string_view type, EngineFactory factory);

// CreateEngine makes an engine by type; InvalidArgument for an unknown type.
Result<std::unique_ptr<Engine>> CreateEngine(const EngineConfig& config);

// RegisteredEngines lists the registered types, sorted.
std::vector<std::string> RegisteredEngines();

}  // namespace coffer::core

#define COFFER_REGISTER_ENGINE(type, factory) \
  static const bool COFFER_CONCAT(kEngineRegistered_, __LINE__) = \
      ::coffer::core::RegisterEngine(type, factory)
