// Leases in the core: secrets engines' responses become leases owned by the
// requesting token; the expiration manager calls back into the engines
// through CoreLeaseEngines; and the core's background thread gives every
// engine its Periodic tick.
#include <chrono>

#include <spdlog/spdlog.h>

#include "core/core.h"

namespace coffer::core {

class CoreLeaseEngines final : public expiration::LeaseEngines {
 public:
  explicit CoreLeaseEngines(Core& core) : core_(core) {}

  Status Revoke(const expiration::Lease& lease) override {
    auto mount = core_.router_.Find(lease.mount_point);
    if (mount == nullptr) {
      return Status::Ok();  // the mount is gone, and with it what it granted
    }
    return mount->engine->RevokeSecret(core_.ContextFor(*mount), Info(lease, 0));
  }

  Status Renew(const expiration::Lease& lease, int64_t new_ttl) override {
    auto mount = core_.router_.Find(lease.mount_point);
    if (mount == nullptr) {
      return Status::InvalidArgument("lease's mount \"" + lease.mount_point + "\" is gone");
    }
    return mount->engine->RenewSecret(core_.ContextFor(*mount), Info(lease, new_ttl));
  }

  int64_t MaxLeaseTtl(const std::string& mount_point) override {
    auto mount = core_.router_.Find(mount_point);
    return mount == nullptr ? 0 : core_.MaxLeaseTtl(mount->entry);
  }

  Status ExpireToken(const std::string& id_key) override {
    auto entry = core_.tokens_.LookupByKey(id_key);
    if (!entry.ok()) {
      // Already gone (revoked by a lookup, or by hand).
      return entry.status().code() == Code::kPermissionDenied ? Status::Ok() : entry.status();
    }
    if (!entry->ExpiredAt(core_.NowUnix())) {
      return Status::Ok();  // renewed since; its new expiry has its own index entry
    }
    return core_.tokens_.Revoke(id_key);
  }

 private:
  static LeaseInfo Info(const expiration::Lease& lease, int64_t new_ttl) {
    LeaseInfo info;
    info.lease_id = lease.id;
    info.type = lease.secret_type;
    info.internal = lease.internal;
    info.issue_time = lease.issue_time;
    info.expire_time = lease.expire_time;
    info.new_ttl = new_ttl;
    return info;
  }

  Core& core_;
};

void Core::CreateExpirationManager() {
  lease_engines_ = std::make_unique<CoreLeaseEngines>(*this);
  leases_ = std::make_unique<expiration::ExpirationManager>(barrier_, *options_.clock,
                                                           *lease_engines_);
}

EngineRequest Core::ContextFor(const MountedEngine& mount) const {
  EngineRequest context;
  context.storage = mount.view.get();
  context.mount_point = mount.entry.path;
  context.clock = options_.clock;
  context.system = &password_policies_;
  context.default_lease_ttl = DefaultLeaseTtl(mount.entry);
  context.max_lease_ttl = MaxLeaseTtl(mount.entry);
  return context;
}

Status Core::RegisterLease(const std::string& request_path, const MountedEngine& mount,
                           const TokenEntry& token, Response& response) {
  const SecretLease& secret = *response.secret;
  int64_t max_ttl = MaxLeaseTtl(mount.entry);
  if (secret.max_ttl > 0) {
    max_ttl = std::min(max_ttl, secret.max_ttl);
  }
  int64_t ttl = secret.ttl > 0 ? secret.ttl : DefaultLeaseTtl(mount.entry);
  ttl = std::max<int64_t>(1, std::min(ttl, max_ttl));
  // A batch token is never stored, so nothing could revoke its leases with
  // it; they end at their own expiry.
  const std::string owner =
      token.batch ? std::string() : token.id_key.substr(token.id_key.rfind('/') + 1);
  Result<expiration::Lease> lease =
      leases_->Register(request_path, mount.entry.path, owner, secret, ttl, max_ttl);
  if (!lease.ok()) {
    // Unleased, the secret would live forever: take it back now.
    LeaseInfo info;
    info.type = secret.type;
    info.internal = secret.internal;
    Status undone = mount.engine->RevokeSecret(ContextFor(mount), info);
    if (!undone.ok()) {
      spdlog::error("could not revoke a secret from {} whose lease failed to persist: {}",
                    request_path, undone.message());
    }
    return lease.status();
  }
  response.lease_id = lease->id;
  response.lease_duration = lease->expire_time - lease->issue_time;
  response.renewable = lease->renewable;
  response.secret.reset();
  return Status::Ok();
}

void Core::StartBackground() {
  leases_->Start();
  std::lock_guard lock(periodic_mu_);
  if (periodic_thread_.joinable()) {
    return;
  }
  periodic_stop_ = false;
  periodic_thread_ = std::thread([this] { RunPeriodic(); });
}

void Core::StopBackground() {
  {
    std::lock_guard lock(periodic_mu_);
    periodic_stop_ = true;
  }
  periodic_wake_.notify_all();
  if (periodic_thread_.joinable()) {
    periodic_thread_.join();
  }
  leases_->Stop();
}

void Core::RunPeriodic() {
  std::unique_lock lock(periodic_mu_);
  while (!periodic_wake_.wait_for(lock, std::chrono::seconds(1), [this] { return periodic_stop_; })) {
    lock.unlock();
    for (const std::shared_ptr<MountedEngine>& mount : router_.All()) {
      try {
        mount->engine->Periodic(ContextFor(*mount));
      } catch (const std::exception& e) {
        spdlog::error("periodic work of mount {} failed: {}", mount->entry.path, e.what());
      }
    }
    lock.lock();
  }
}

}  // namespace coffer::core
