// The core's side of leases: an engine's SecretLease becomes a lease owned
// by the requesting token, within the mount's TTL limits; revoking the token
// revokes it through the engine; a lease that cannot be stored takes the
// secret back; a seal stops the sweep and an unseal restarts it.
#include <gtest/gtest.h>

#include <atomic>
#include <mutex>

#include "core/core.h"
#include "one_share_core.h"
#include "storage/backend.h"
#include "storage/forwarding_backend.h"

namespace coffer::core {
namespace {

// What the test engine was asked to revoke, across engine instances.
std::mutex g_mu;
std::vector<std::string> g_revoked;  // guarded by g_mu

std::vector<std::string> Revoked() {
  std::lock_guard lock(g_mu);
  return g_revoked;
}

// Hands out a "user" under a lease on read of creds/<name>, and records
// revocations, as the database engine does against a real database.
class LeasingEngine final : public Engine {
 public:
  Result<Response> Handle(const EngineRequest& request) override {
    if (!request.path.starts_with("creds/")) {
      return Status::NotFound("unsupported path");
    }
    Response r = Response::Data({{"username", request.path.substr(6)}});
    SecretLease secret;
    secret.type = "creds";
    secret.ttl = request.data.value("ttl", int64_t{0});
    secret.internal = {{"username", request.path.substr(6)}};
    r.secret = secret;
    return r;
  }
  Result<bool> Exists(const EngineRequest&) override { return true; }
  std::string_view Type() const override { return "leasing"; }
  Status RevokeSecret(const EngineRequest& context, const LeaseInfo& lease) override {
    EXPECT_NE(context.storage, nullptr);
    std::lock_guard lock(g_mu);
    g_revoked.push_back(lease.internal.value("username", ""));
    return Status::Ok();
  }
};

const bool kRegistered = RegisterEngine(
    "leasing", [](const EngineConfig&) -> Result<std::unique_ptr<Engine>> {
      return std::unique_ptr<Engine>(std::make_unique<LeasingEngine>());
    });

class FlakyBackend final : public storage::testing::ForwardingBackend {
 public:
  using ForwardingBackend::ForwardingBackend;
  Status Transaction(const std::vector<storage::TxnOp>& ops) override {
    if (fail_transactions) {
      return Status::IOError("injected failure");
    }
    return inner().Transaction(ops);
  }
  std::atomic<bool> fail_transactions{false};
};

class LeasePipelineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(kRegistered);
    {
      std::lock_guard lock(g_mu);
      g_revoked.clear();
    }
    physical_ = std::make_unique<FlakyBackend>(std::move(storage::OpenBackend("inmem", {})).value());
    core_ = std::move(Core::Open(*physical_, {})).value();
    auto share = testing::InitWithOneShare(*core_);
    ASSERT_TRUE(share.ok()) << share.status().ToString();
    key_ = share->key_hex;
    root_ = share->root_token;
    MountEntry entry;
    entry.path = "leasing/";
    entry.type = "leasing";
    entry.default_lease_ttl = 600;
    entry.max_lease_ttl = 3600;
    ASSERT_TRUE(core_->Mount(entry).ok());
  }

  void Unseal() { ASSERT_TRUE(testing::UnsealWith(*core_, key_).ok()); }

  Result<Response> Read(const std::string& path, const std::string& token,
                        nlohmann::json data = nlohmann::json::object()) {
    return testing::Call(*core_, Operation::kRead, path, token, std::move(data));
  }

  std::string ChildToken() {
    Request req;
    req.operation = Operation::kUpdate;
    req.path = "auth/token/create";
    req.client_token = root_;
    req.data = {{"policies", {"root"}}};
    auto created = core_->Handle(req);
    EXPECT_TRUE(created.ok()) << created.status().ToString();
    return created.ok() ? (*created->auth)["client_token"].get<std::string>() : "";
  }

  std::unique_ptr<FlakyBackend> physical_;
  std::unique_ptr<Core> core_;
  std::string key_;
  std::string root_;
};

TEST_F(LeasePipelineTest, LeasedSecretGetsALeaseWithinTheMountsLimits) {
  auto defaulted = Read("leasing/creds/alice", root_);
  ASSERT_TRUE(defaulted.ok()) << defaulted.status().ToString();
  EXPECT_TRUE(defaulted->lease_id.starts_with("leasing/creds/alice/"));
  EXPECT_EQ(defaulted->lease_duration, 600);  // the mount's default_lease_ttl
  EXPECT_TRUE(defaulted->renewable);
  EXPECT_FALSE(defaulted->secret.has_value());  // internal data never leaves

  auto capped = Read("leasing/creds/bob", root_, {{"ttl", 86400}});
  ASSERT_TRUE(capped.ok());
  EXPECT_EQ(capped->lease_duration, 3600);  // the mount's max_lease_ttl

  auto lease = core_->leases().Lookup(defaulted->lease_id);
  ASSERT_TRUE(lease.ok()) << lease.status().ToString();
  EXPECT_EQ(lease->mount_point, "leasing/");
  EXPECT_EQ(lease->internal["username"], "alice");
}

TEST_F(LeasePipelineTest, RevokingTheTokenRevokesItsLeasesThroughTheEngine) {
  const std::string token = ChildToken();
  auto first = Read("leasing/creds/carol", token);
  auto second = Read("leasing/creds/dave", token);
  auto roots = Read("leasing/creds/root-owned", root_);
  ASSERT_TRUE(first.ok() && second.ok() && roots.ok());

  Request revoke;
  revoke.operation = Operation::kUpdate;
  revoke.path = "auth/token/revoke";
  revoke.client_token = root_;
  revoke.data = {{"token", token}};
  ASSERT_TRUE(core_->Handle(revoke).ok());

  std::vector<std::string> revoked = Revoked();
  std::sort(revoked.begin(), revoked.end());
  EXPECT_EQ(revoked, (std::vector<std::string>{"carol", "dave"}));
  EXPECT_FALSE(core_->leases().Lookup(first->lease_id).ok());
  EXPECT_FALSE(core_->leases().Lookup(second->lease_id).ok());
  EXPECT_TRUE(core_->leases().Lookup(roots->lease_id).ok());
}

TEST_F(LeasePipelineTest, ALeaseThatCannotBeStoredTakesTheSecretBack) {
  physical_->fail_transactions = true;
  auto failed = Read("leasing/creds/erin", root_);
  physical_->fail_transactions = false;
  EXPECT_FALSE(failed.ok());
  EXPECT_EQ(Revoked(), (std::vector<std::string>{"erin"}));
}

TEST_F(LeasePipelineTest, UnmountRevokesTheMountsLeases) {
  auto issued = Read("leasing/creds/frank", root_);
  ASSERT_TRUE(issued.ok());
  ASSERT_TRUE(core_->Unmount("leasing/").ok());
  EXPECT_EQ(Revoked(), (std::vector<std::string>{"frank"}));
  EXPECT_FALSE(core_->leases().Lookup(issued->lease_id).ok());
}

TEST_F(LeasePipelineTest, LeasesSurviveASealAndUnseal) {
  auto issued = Read("leasing/creds/grace", root_);
  ASSERT_TRUE(issued.ok());
  core_->Seal();
  Unseal();
  auto lease = core_->leases().Lookup(issued->lease_id);
  ASSERT_TRUE(lease.ok()) << lease.status().ToString();
  EXPECT_TRUE(Revoked().empty());
}

}  // namespace
}  // namespace coffer::core
