// Shared fixture of the expiration tests: real inmem storage under a real,
// initialized barrier, a manual clock and a fake LeaseEngines that records
// every call and fails on request.
#pragma once

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "barrier/barrier.h"
#include "core/expiration/expiration_manager.h"
#include "crypto/random.h"
#include "storage/backend.h"

namespace coffer::core::expiration {

inline constexpr int64_t kStart = 1'800'000'000;  // the manual clock's first second

class ManualClock final : public Clock {
 public:
  std::chrono::system_clock::time_point Now() const override { return now_.load(); }
  void Advance(std::chrono::milliseconds d) { now_.store(now_.load() + d); }

 private:
  std::atomic<std::chrono::system_clock::time_point> now_{
      std::chrono::system_clock::time_point(std::chrono::seconds(kStart))};
};

class FakeEngines final : public LeaseEngines {
 public:
  Status Revoke(const Lease& lease) override {
    std::lock_guard l(mu_);
    revoke_calls.push_back(lease.id);
    if (fail_all_revokes || fail_mounts.contains(lease.mount_point)) {
      return Status::Unavailable("engine down");
    }
    revoked.push_back(lease.id);
    return Status::Ok();
  }
  Status Renew(const Lease& lease, int64_t new_ttl) override {
    std::lock_guard l(mu_);
    renewals.emplace_back(lease.id, new_ttl);
    return fail_renew ? Status::Unavailable("renew refused") : Status::Ok();
  }
  int64_t MaxLeaseTtl(const std::string&) override { return mount_max_ttl.load(); }
  Status ExpireToken(const std::string& id_key) override {
    std::lock_guard l(mu_);
    expired_tokens.push_back(id_key);
    return Status::Ok();
  }

  std::vector<std::string> Revoked() {
    std::lock_guard l(mu_);
    return revoked;
  }
  std::vector<std::string> RevokeCalls() {
    std::lock_guard l(mu_);
    return revoke_calls;
  }
  std::vector<std::string> ExpiredTokens() {
    std::lock_guard l(mu_);
    return expired_tokens;
  }
  void SetFailAll(bool fail) {
    std::lock_guard l(mu_);
    fail_all_revokes = fail;
  }

  std::mutex mu_;
  bool fail_all_revokes = false;
  bool fail_renew = false;
  std::set<std::string> fail_mounts;
  std::atomic<int64_t> mount_max_ttl{0};
  std::vector<std::string> revoke_calls;
  std::vector<std::string> revoked;
  std::vector<std::pair<std::string, int64_t>> renewals;
  std::vector<std::string> expired_tokens;
};

class ExpirationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    physical_ = std::move(storage::OpenBackend("inmem", {})).value();
    barrier_ = std::make_unique<barrier::Barrier>(*physical_);
    auto ops = barrier_->Initialize(std::move(crypto::RandomKey()).value());
    ASSERT_TRUE(ops.ok());
    ASSERT_TRUE(physical_->Transaction(*ops).ok());
    manager_ = std::make_unique<ExpirationManager>(*barrier_, clock_, engines_);
  }

  Lease Register(const std::string& path, int64_t ttl, int64_t max_ttl,
                 const std::string& token = "", bool renewable = true,
                 const std::string& mount = "database/") {
    SecretLease secret;
    secret.type = "creds";
    secret.renewable = renewable;
    secret.internal = {{"username", "v-user"}};
    auto lease = manager_->Register(path, mount, token, secret, ttl, max_ttl);
    EXPECT_TRUE(lease.ok()) << lease.status().ToString();
    return lease.ok() ? *lease : Lease{};
  }

  bool Exists(const std::string& key) { return barrier_->Get(key).ok(); }
  bool LeaseExists(const std::string& id) { return Exists(std::string(kLeasePrefix) + id); }

  int64_t Sweep() {
    auto n = manager_->SweepOnce();
    EXPECT_TRUE(n.ok()) << n.status().ToString();
    return n.ok() ? *n : -1;
  }

  ManualClock clock_;
  FakeEngines engines_;
  std::unique_ptr<storage::Backend> physical_;
  std::unique_ptr<barrier::Barrier> barrier_;
  std::unique_ptr<ExpirationManager> manager_;
};

}  // namespace coffer::core::expiration
