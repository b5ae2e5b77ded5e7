#include "core/core.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "base/encoding.h"
#include "crypto/secure_buffer.h"
#include "storage/backend.h"
#include "storage/forwarding_backend.h"

namespace coffer::core {
namespace {

crypto::SecureBuffer Share(const std::string& hex) {
  auto bytes = HexDecode(hex);
  EXPECT_TRUE(bytes.has_value());
  return crypto::SecureBuffer::FromBytes(bytes.value_or(""));
}

// A backend whose transactions can be made to fail, to prove init is atomic.
class FailingTxnBackend final : public storage::testing::ForwardingBackend {
 public:
  using ForwardingBackend::ForwardingBackend;
  Status Transaction(const std::vector<storage::TxnOp>& ops) override {
    if (fail) {
      return Status::IOError("injected failure");
    }
    return inner().Transaction(ops);
  }
  bool fail = false;
};

class CoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto inner = storage::OpenBackend("inmem", {});
    ASSERT_TRUE(inner.ok());
    physical_ = std::make_unique<FailingTxnBackend>(std::move(inner).value());
    auto core = Core::Open(*physical_, {});
    ASSERT_TRUE(core.ok()) << core.status().ToString();
    core_ = std::move(core).value();
  }

  InitResult Init(int n, int k) {
    SealConfig config;
    config.secret_shares = n;
    config.secret_threshold = k;
    auto result = core_->Initialize(config);
    EXPECT_TRUE(result.ok()) << result.status().ToString();
    return result.ok() ? *result : InitResult{};
  }

  Result<Response> Call(Operation op, const std::string& path, const std::string& token = "") {
    Request req;
    req.operation = op;
    req.path = path;
    req.client_token = token;
    return core_->Handle(req);
  }

  std::unique_ptr<FailingTxnBackend> physical_;
  std::unique_ptr<Core> core_;
};

TEST_F(CoreTest, InitLeavesTheCoreSealedWithItsConfig) {
  InitResult init = Init(5, 3);
  EXPECT_EQ(init.keys_hex.size(), 5u);
  EXPECT_EQ(init.keys_base64.size(), 5u);
  EXPECT_TRUE(init.root_token.starts_with("hvs."));
  SealStatus s = core_->GetSealStatus();
  EXPECT_TRUE(s.initialized);
  EXPECT_TRUE(s.sealed);
  EXPECT_EQ(s.shares, 5);
  EXPECT_EQ(s.threshold, 3);
}

TEST_F(CoreTest, AnyThresholdSubsetOfSharesUnseals) {
  InitResult init = Init(5, 3);
  const std::vector<std::vector<int>> subsets = {{0, 1, 2}, {2, 3, 4}, {4, 0, 2}, {1, 3, 4}};
  for (const auto& subset : subsets) {
    for (size_t i = 0; i < subset.size(); ++i) {
      ASSERT_TRUE(core_->SubmitUnsealKey(Share(init.keys_hex[subset[i]])).ok());
      EXPECT_EQ(core_->sealed(), i + 1 < subset.size());
    }
    core_->Seal();
  }
}

TEST_F(CoreTest, DuplicateShareIsRejectedAndDoesNotCountTowardProgress) {
  InitResult init = Init(5, 3);
  ASSERT_TRUE(core_->SubmitUnsealKey(Share(init.keys_hex[0])).ok());
  Status dup = core_->SubmitUnsealKey(Share(init.keys_hex[0]));
  EXPECT_TRUE(dup.IsInvalidArgument()) << dup.ToString();
  EXPECT_EQ(core_->GetSealStatus().progress, 1);
  EXPECT_TRUE(core_->sealed());
}

TEST_F(CoreTest, SharesOfAnotherInitNeverUnseal) {
  InitResult init = Init(3, 2);
  // Shares of an unrelated key: right shape, wrong secret.
  auto other_backend = storage::OpenBackend("inmem", {});
  ASSERT_TRUE(other_backend.ok());
  auto other = Core::Open(**other_backend, {});
  ASSERT_TRUE(other.ok());
  SealConfig config;
  config.secret_shares = 3;
  config.secret_threshold = 2;
  auto other_init = (*other)->Initialize(config);
  ASSERT_TRUE(other_init.ok());

  ASSERT_TRUE(core_->SubmitUnsealKey(Share(init.keys_hex[0])).ok());
  Status st = core_->SubmitUnsealKey(Share(other_init->keys_hex[1]));
  EXPECT_TRUE(st.IsInvalidArgument()) << st.ToString();
  EXPECT_TRUE(core_->sealed());
  EXPECT_EQ(core_->GetSealStatus().progress, 0) << "a failed attempt resets progress";
}

TEST_F(CoreTest, MalformedShareIsRejected) {
  Init(3, 2);
  EXPECT_TRUE(core_->SubmitUnsealKey(crypto::SecureBuffer::FromBytes("short")).IsInvalidArgument());
  EXPECT_EQ(core_->GetSealStatus().progress, 0);
}

TEST_F(CoreTest, ResetDiscardsProgress) {
  InitResult init = Init(5, 3);
  ASSERT_TRUE(core_->SubmitUnsealKey(Share(init.keys_hex[0])).ok());
  EXPECT_FALSE(core_->GetSealStatus().nonce.empty());
  core_->ResetUnseal();
  SealStatus s = core_->GetSealStatus();
  EXPECT_EQ(s.progress, 0);
  EXPECT_TRUE(s.nonce.empty());
}

TEST_F(CoreTest, SecondInitIsRejected) {
  Init(1, 1);
  SealConfig config;
  config.secret_shares = 1;
  config.secret_threshold = 1;
  EXPECT_TRUE(core_->Initialize(config).status().IsInvalidArgument());
}

TEST_F(CoreTest, FailedInitLeavesNothingBehind) {
  physical_->fail = true;
  SealConfig config;
  config.secret_shares = 3;
  config.secret_threshold = 2;
  EXPECT_FALSE(core_->Initialize(config).ok());
  EXPECT_FALSE(core_->initialized());
  EXPECT_TRUE(core_->sealed());
  auto keys = physical_->List("");
  ASSERT_TRUE(keys.ok());
  EXPECT_TRUE(keys->empty());
  physical_->fail = false;
  EXPECT_TRUE(core_->Initialize(config).ok());
}

TEST_F(CoreTest, InvalidSealConfigsAreRejected) {
  for (auto [n, k] : std::vector<std::pair<int, int>>{{0, 0}, {3, 4}, {3, 1}, {256, 3}, {2, 0}}) {
    SealConfig config;
    config.secret_shares = n;
    config.secret_threshold = k;
    EXPECT_TRUE(core_->Initialize(config).status().IsInvalidArgument()) << n << "/" << k;
  }
  EXPECT_FALSE(core_->initialized());
}

TEST_F(CoreTest, TamperedSealConfigMakesUnsealFail) {
  InitResult init = Init(3, 2);
  ASSERT_TRUE(physical_->Put(kSealConfigKey,
                             R"({"secret_shares":3,"secret_threshold":2,"type":"shamir" })")
                  .ok());
  auto reopened = Core::Open(*physical_, {});
  ASSERT_TRUE(reopened.ok());
  ASSERT_TRUE((*reopened)->SubmitUnsealKey(Share(init.keys_hex[0])).ok());
  EXPECT_FALSE((*reopened)->SubmitUnsealKey(Share(init.keys_hex[1])).ok());
  EXPECT_TRUE((*reopened)->sealed());
}

TEST_F(CoreTest, RequestsAreRefusedBeforeInitAndWhileSealed) {
  EXPECT_EQ(Call(Operation::kRead, "secret/x").status().code(), Code::kNotInitialized);
  InitResult init = Init(1, 1);
  EXPECT_EQ(Call(Operation::kRead, "secret/x", init.root_token).status().code(), Code::kSealed);
}

TEST_F(CoreTest, RootTokenSealsAndOtherTokensCannot) {
  InitResult init = Init(1, 1);
  ASSERT_TRUE(core_->SubmitUnsealKey(Share(init.keys_hex[0])).ok());
  EXPECT_EQ(Call(Operation::kUpdate, "sys/seal", "hvs.bogus").status().code(),
            Code::kPermissionDenied);
  EXPECT_EQ(Call(Operation::kUpdate, "sys/seal").status().code(), Code::kPermissionDenied);
  EXPECT_FALSE(core_->sealed());
  EXPECT_EQ(Call(Operation::kRead, "nothing/here", init.root_token).status().code(),
            Code::kNotFound);
  ASSERT_TRUE(Call(Operation::kUpdate, "sys/seal", init.root_token).ok());
  EXPECT_TRUE(core_->sealed());
}

TEST_F(CoreTest, RevokingATokenEmptiesItsCubbyhole) {
  InitResult init = Init(1, 1);
  ASSERT_TRUE(core_->SubmitUnsealKey(Share(init.keys_hex[0])).ok());
  TokenCreateRequest req;
  req.policies = {"default"};
  auto created = core_->tokens().Create(req);
  ASSERT_TRUE(created.ok());
  Request write;
  write.operation = Operation::kUpdate;
  write.path = "cubbyhole/note";
  write.client_token = created->token;
  write.data = {{"text", "mine"}};
  ASSERT_TRUE(core_->Handle(write).ok());
  const std::string prefix = core_->MountFor("cubbyhole").value().StoragePrefix();
  ASSERT_FALSE(physical_->List(prefix)->empty());
  ASSERT_TRUE(core_->tokens().Revoke(created->entry.id_key).ok());
  EXPECT_TRUE(physical_->List(prefix)->empty());
}

TEST_F(CoreTest, RootTokenIsStoredOnlyAsAnHmac) {
  InitResult init = Init(1, 1);
  std::vector<std::string> pending = {""};
  while (!pending.empty()) {
    std::string prefix = pending.back();
    pending.pop_back();
    auto names = physical_->List(prefix);
    ASSERT_TRUE(names.ok());
    for (const auto& name : *names) {
      std::string key = prefix + name;
      EXPECT_EQ(key.find(init.root_token), std::string::npos);
      if (key.ends_with("/")) {
        pending.push_back(key);
        continue;
      }
      auto value = physical_->Get(key);
      ASSERT_TRUE(value.ok());
      EXPECT_EQ(value->find(init.root_token), std::string::npos) << key;
      EXPECT_EQ(value->find(init.root_token.substr(4)), std::string::npos) << key;
    }
  }
}

}  // namespace
}  // namespace coffer::core
