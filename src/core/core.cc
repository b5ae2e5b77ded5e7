#include "core/core.h"

#include <future>

#include <nlohmann/json.hpp>

#include "base/encoding.h"
#include "crypto/random.h"
#include "seal/shamir_seal.h"

namespace coffer::core {

namespace {

constexpr std::string_view kClusterKey = "core/cluster";

}  // namespace

Core::Core(storage::Backend& physical, Options options)
    : physical_(physical), options_(std::move(options)), barrier_(physical),
      tokens_(barrier_, *options_.clock),
      policies_(barrier_) {
  CreateExpirationManager();
  // A revoked token's leases and cubbyhole go with it. Leases whose engine
  // cannot revoke them now stay, and the expiration manager retries them.
  tokens_.SetRevokeHook([this](const std::string& client_id) -> Status {
    COFFER_RETURN_IF_ERROR(leases_->RevokeByToken(client_id));
    auto cubbyhole = router_.Find("cubbyhole/");
    if (cubbyhole == nullptr) {
      return Status::Ok();
    }
    StorageView own(*cubbyhole->view, client_id + "/");
    return own.DeleteAll();
  });
}

Core::~Core() { StopBackground(); }

Result<std::unique_ptr<Core>> Core::Open(storage::Backend& physical, Options options) {
  std::unique_ptr<Core> core(new Core(physical, std::move(options)));
  auto stored = physical.Get(kSealConfigKey);
  if (stored.ok()) {
    COFFER_ASSIGN_OR_RETURN(core->seal_config_, SealConfig::Decode(*stored));
    core->initialized_.store(true, std::memory_order_release);
  } else if (!stored.status().IsNotFound()) {
    return stored.status();
  }
  return core;
}

Result<InitResult> Core::Initialize(const SealConfig& config, const std::string& root_token_id) {
  COFFER_RETURN_IF_ERROR(config.Validate());
  std::lock_guard lock(unseal_mu_);
  if (initialized()) {
    return Status::InvalidArgument("Vault is already initialized");
  }
  COFFER_ASSIGN_OR_RETURN(crypto::SecureBuffer master, crypto::RandomKey());
  COFFER_ASSIGN_OR_RETURN(auto generated,
                          seal::ShamirSeal::Generate(config.secret_shares, config.secret_threshold));
  const std::string encoded_config = config.Encode();
  COFFER_ASSIGN_OR_RETURN(std::string sealed_master,
                          generated.seal.WrapMaster(master, SealConfig::MasterAad(encoded_config)));

  // From here the barrier is unsealed in memory; any failure must seal it
  // again so a failed init leaves nothing behind, in memory or on disk.
  COFFER_ASSIGN_OR_RETURN(std::vector<storage::TxnOp> ops, barrier_.Initialize(std::move(master)));
  auto commit = [&]() -> Result<InitResult> {
    COFFER_RETURN_IF_ERROR(tokens_.OnUnseal());
    TokenCreateRequest root;
    root.id = root_token_id;
    root.policies = {"root"};
    root.display_name = "root";
    root.path = "auth/token/root";
    root.renewable = false;
    COFFER_ASSIGN_OR_RETURN(TokenStore::Created minted, tokens_.Prepare(root));
    COFFER_ASSIGN_OR_RETURN(std::string suffix, crypto::RandomString(4));
    COFFER_ASSIGN_OR_RETURN(std::string cluster_id, crypto::RandomUuid());
    nlohmann::json cluster = {{"name", "coffer-cluster-" + HexEncode(suffix)}, {"id", cluster_id}};
    minted.ops.push_back(storage::TxnOp::Put(std::string(kClusterKey), cluster.dump()));
    COFFER_ASSIGN_OR_RETURN(std::vector<storage::TxnOp> encrypted, barrier_.EncryptOps(minted.ops));
    ops.push_back(storage::TxnOp::Put(std::string(kSealConfigKey), encoded_config));
    ops.push_back(storage::TxnOp::Put(std::string(kMasterKey), sealed_master));
    for (auto& op : encrypted) {
      ops.push_back(std::move(op));
    }
    COFFER_RETURN_IF_ERROR(physical_.Transaction(ops));
    InitResult result;
    result.root_token = std::move(minted.token);
    for (const auto& share : generated.shares) {
      result.keys_hex.push_back(HexEncode(share.view()));
      result.keys_base64.push_back(Base64Encode(share.view()));
    }
    return result;
  };
  Result<InitResult> result = commit();
  tokens_.OnSeal();
  barrier_.Seal();
  if (result.ok()) {
    seal_config_ = config;
    initialized_.store(true, std::memory_order_release);
  }
  return result;
}

Status Core::SubmitUnsealKey(crypto::SecureBuffer share) {
  std::lock_guard lock(unseal_mu_);
  if (!initialized()) {
    return Status::InvalidArgument("Vault is not initialized");
  }
  if (!barrier_.sealed()) {
    return Status::Ok();
  }
  if (share.size() != seal::kShareSize) {
    return Status::InvalidArgument("invalid key share: expected " +
                                   std::to_string(seal::kShareSize) + " bytes, got " +
                                   std::to_string(share.size()));
  }
  for (const auto& given : unseal_shares_) {
    if (crypto::ConstantTimeEquals(given.view(), share.view())) {
      return Status::InvalidArgument("this key share was already provided");
    }
  }
  if (unseal_shares_.empty()) {
    COFFER_ASSIGN_OR_RETURN(unseal_nonce_, crypto::RandomUuid());
  }
  unseal_shares_.push_back(std::move(share));
  if (static_cast<int>(unseal_shares_.size()) < seal_config_.secret_threshold) {
    return Status::Ok();
  }

  // Threshold reached: whatever happens next, this round of shares is spent.
  std::vector<crypto::SecureBuffer> shares = std::move(unseal_shares_);
  unseal_shares_.clear();
  unseal_nonce_.clear();
  COFFER_ASSIGN_OR_RETURN(seal::ShamirSeal seal,
                          seal::ShamirSeal::FromShares(shares, seal_config_.secret_threshold));
  COFFER_ASSIGN_OR_RETURN(std::string sealed_master, physical_.Get(kMasterKey));
  COFFER_ASSIGN_OR_RETURN(std::string encoded_config, physical_.Get(kSealConfigKey));
  COFFER_ASSIGN_OR_RETURN(crypto::SecureBuffer master,
                          seal.UnwrapMaster(sealed_master, SealConfig::MasterAad(encoded_config)));
  return FinishUnseal(std::move(master));
}

Status Core::FinishUnseal(crypto::SecureBuffer master) {
  COFFER_RETURN_IF_ERROR(barrier_.Unseal(std::move(master)));
  Status post = [&]() -> Status {
    COFFER_RETURN_IF_ERROR(tokens_.OnUnseal());
    COFFER_RETURN_IF_ERROR(policies_.OnUnseal());
    COFFER_RETURN_IF_ERROR(SetupMounts());
    COFFER_RETURN_IF_ERROR(SetupAudit());
    COFFER_ASSIGN_OR_RETURN(std::string cluster, barrier_.Get(kClusterKey));
    nlohmann::json j = nlohmann::json::parse(cluster, nullptr, /*allow_exceptions=*/false);
    if (!j.is_object() || !j["name"].is_string() || !j["id"].is_string()) {
      return Status::Corruption("stored cluster information is malformed");
    }
    cluster_name_ = j["name"].get<std::string>();
    cluster_id_ = j["id"].get<std::string>();
    StartBackground();
    return Status::Ok();
  }();
  if (!post.ok()) {
    audit_.DisableAll();
    router_.Clear();
    policies_.OnSeal();
    tokens_.OnSeal();
    barrier_.Seal();
  }
  return post;
}

void Core::ResetUnseal() {
  std::lock_guard lock(unseal_mu_);
  unseal_shares_.clear();
  unseal_nonce_.clear();
}

void Core::Seal() {
  std::lock_guard lock(unseal_mu_);
  StopBackground();
  audit_.DisableAll();
  router_.Clear();
  policies_.OnSeal();
  tokens_.OnSeal();
  barrier_.Seal();
  unseal_shares_.clear();
  unseal_nonce_.clear();
}

SealStatus Core::GetSealStatus() {
  std::lock_guard lock(unseal_mu_);
  SealStatus s;
  s.initialized = initialized();
  s.sealed = barrier_.sealed();
  if (s.initialized) {
    s.threshold = seal_config_.secret_threshold;
    s.shares = seal_config_.secret_shares;
  }
  s.progress = static_cast<int>(unseal_shares_.size());
  s.nonce = unseal_nonce_;
  if (!s.sealed) {
    s.cluster_name = cluster_name_;
    s.cluster_id = cluster_id_;
  }
  return s;
}

Result<Response> Core::Handle(const Request& request) {
  // Shared with the completion, which may still be finishing set_value on a
  // writer thread after this thread has woken and returned. Only the first
  // answer counts (a second comes only from the exception guard answering
  // an exception thrown by the first).
  struct Answer {
    std::promise<Result<Response>> promise;
    std::atomic<bool> given{false};
  };
  auto answer = std::make_shared<Answer>();
  std::future<Result<Response>> answered = answer->promise.get_future();
  HandleAsync(request, [answer](Result<Response> result) {
    if (!answer->given.exchange(true)) {
      answer->promise.set_value(std::move(result));
    }
  });
  return answered.get();
}

}  // namespace coffer::core
