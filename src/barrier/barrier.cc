#include "barrier/barrier.h"

#include <charconv>
#include <mutex>

#include "barrier/entry_format.h"
#include "crypto/aead.h"
#include "crypto/hash.h"
#include "crypto/random.h"

namespace coffer::barrier {

namespace {

constexpr std::string_view kLogicalPrefix = "logical/";

std::string KekStorageKey(std::string_view domain, uint32_t version) {
  std::string key(kKekPrefix);
  key.append(domain);
  key.push_back('/');
  key.append(std::to_string(version));
  return key;
}

// The HKDF salt separates coffer's derived keys from any other use of the
// same master key bytes.
constexpr std::string_view kDeriveSalt = "coffer-barrier-derive-v1";

}  // namespace

Barrier::Barrier(storage::Backend& physical) : physical_(physical) {}

Barrier::~Barrier() { Seal(); }

std::string Barrier::DomainOf(std::string_view key) {
  if (key.starts_with(kLogicalPrefix)) {
    std::string_view rest = key.substr(kLogicalPrefix.size());
    size_t slash = rest.find('/');
    if (slash != std::string_view::npos && slash > 0) {
      return std::string(rest.substr(0, slash));
    }
  }
  return std::string(kSystemDomain);
}

Result<std::vector<storage::TxnOp>> Barrier::Initialize(crypto::SecureBuffer master_key) {
  COFFER_ASSIGN_OR_RETURN(crypto::SecureBuffer kek, crypto::RandomKey());
  const std::string key = KekStorageKey(kSystemDomain, 1);
  COFFER_ASSIGN_OR_RETURN(std::string wrapped, crypto::AeadSeal(master_key, kek.view(), key));
  std::vector<storage::TxnOp> ops;
  ops.push_back(storage::TxnOp::Put(key, std::move(wrapped)));

  std::unique_lock lock(mu_);
  master_ = std::move(master_key);
  keyrings_.clear();
  Keyring& ring = keyrings_[std::string(kSystemDomain)];
  ring.active = 1;
  ring.keks.emplace(1, std::move(kek));
  return ops;
}

Status Barrier::Unseal(crypto::SecureBuffer master_key) {
  // Prove the key before accepting it: the system KEK v1 must unwrap.
  const std::string key = KekStorageKey(kSystemDomain, 1);
  auto blob = physical_.Get(key);
  if (!blob.ok()) {
    if (blob.status().IsNotFound()) {
      return Status::FailedPrecondition("barrier is not initialized");
    }
    return blob.status();
  }
  auto kek = crypto::AeadOpenKey(master_key, *blob, key);
  if (!kek.ok()) {
    return Status::InvalidArgument("invalid master key: the system keyring does not decrypt");
  }
  std::unique_lock lock(mu_);
  master_ = std::move(master_key);
  keyrings_.clear();
  return Status::Ok();
}

void Barrier::Seal() {
  std::unique_lock lock(mu_);
  master_.Reset();
  keyrings_.clear();  // SecureBuffer destructors wipe every KEK
}

bool Barrier::sealed() const {
  std::shared_lock lock(mu_);
  return master_.empty();
}

Result<crypto::SecureBuffer> Barrier::DeriveKey(std::string_view label) const {
  std::shared_lock lock(mu_);
  if (master_.empty()) {
    return Status::Sealed();
  }
  return crypto::HkdfSha256(master_, kDeriveSalt, label);
}

const crypto::SecureBuffer* Barrier::FindKek(const std::string& domain,
                                             uint32_t* version) const {
  auto ring = keyrings_.find(domain);
  if (ring == keyrings_.end()) {
    return nullptr;
  }
  if (*version == 0) {
    *version = ring->second.active;
  }
  auto kek = ring->second.keks.find(*version);
  return kek == ring->second.keks.end() ? nullptr : &kek->second;
}

Status Barrier::EnsureKek(const std::string& domain, uint32_t version) {
  std::unique_lock lock(mu_);
  if (master_.empty()) {
    return Status::Sealed();
  }
  uint32_t wanted = version;
  if (FindKek(domain, &wanted) != nullptr) {
    return Status::Ok();
  }
  Keyring& ring = keyrings_[domain];
  if (ring.active == 0) {
    // Learn the newest version from storage; versions are decimal names.
    COFFER_ASSIGN_OR_RETURN(auto names,
                            physical_.List(std::string(kKekPrefix) + domain + "/"));
    for (const std::string& name : names) {
      uint32_t v = 0;
      auto [end, ec] = std::from_chars(name.data(), name.data() + name.size(), v);
      if (ec == std::errc() && end == name.data() + name.size() && v > ring.active) {
        ring.active = v;
      }
    }
  }
  if (ring.active == 0) {
    // A domain's first write creates its keyring. Creation happens under the
    // exclusive lock, so two writers cannot each create a different v1.
    COFFER_ASSIGN_OR_RETURN(crypto::SecureBuffer kek, crypto::RandomKey());
    const std::string key = KekStorageKey(domain, 1);
    COFFER_ASSIGN_OR_RETURN(std::string wrapped, crypto::AeadSeal(master_, kek.view(), key));
    COFFER_RETURN_IF_ERROR(physical_.Put(key, wrapped));
    ring.active = 1;
    ring.keks.emplace(1, std::move(kek));
  }
  const uint32_t load = version == 0 ? ring.active : version;
  if (ring.keks.count(load) != 0) {
    return Status::Ok();
  }
  const std::string key = KekStorageKey(domain, load);
  auto blob = physical_.Get(key);
  if (!blob.ok()) {
    if (blob.status().IsNotFound()) {
      return Status::Corruption("missing key-encryption key " + key);
    }
    return blob.status();
  }
  auto kek = crypto::AeadOpenKey(master_, *blob, key);
  if (!kek.ok()) {
    return Status::Corruption("key-encryption key " + key + " failed to decrypt");
  }
  ring.keks.emplace(load, std::move(kek).value());
  return Status::Ok();
}

Result<uint32_t> Barrier::RotateKek(std::string_view domain_view) {
  const std::string domain(domain_view);
  COFFER_RETURN_IF_ERROR(EnsureKek(domain, 0));
  std::unique_lock lock(mu_);
  if (master_.empty()) {
    return Status::Sealed();
  }
  Keyring& ring = keyrings_[domain];
  const uint32_t next = ring.active + 1;
  COFFER_ASSIGN_OR_RETURN(crypto::SecureBuffer kek, crypto::RandomKey());
  const std::string key = KekStorageKey(domain, next);
  COFFER_ASSIGN_OR_RETURN(std::string wrapped, crypto::AeadSeal(master_, kek.view(), key));
  COFFER_RETURN_IF_ERROR(physical_.Put(key, wrapped));
  ring.keks.emplace(next, std::move(kek));
  ring.active = next;
  return next;
}

Result<std::string> Barrier::Encrypt(std::string_view key, std::string_view value) {
  const std::string domain = DomainOf(key);
  for (int attempt = 0; attempt < 2; ++attempt) {
    {
      std::shared_lock lock(mu_);
      if (master_.empty()) {
        return Status::Sealed();
      }
      uint32_t version = 0;
      if (const crypto::SecureBuffer* kek = FindKek(domain, &version)) {
        COFFER_ASSIGN_OR_RETURN(crypto::DataKey dek, crypto::DataKey::Random());
        COFFER_ASSIGN_OR_RETURN(std::string wrapped, crypto::AeadSeal(*kek, dek.view(), DekAad(key)));
        COFFER_ASSIGN_OR_RETURN(std::string ciphertext, crypto::AeadSeal(dek, value, key));
        return EncodeEntry(version, wrapped, ciphertext);
      }
    }
    COFFER_RETURN_IF_ERROR(EnsureKek(domain, 0));
  }
  return Status::Internal("barrier keyring for " + domain + " is unavailable");
}

Result<std::string> Barrier::Decrypt(std::string_view key, std::string_view blob) {
  COFFER_ASSIGN_OR_RETURN(EntryParts parts, DecodeEntry(blob));
  if (parts.kek_version == 0) {
    return Status::Corruption("barrier entry names KEK version 0");
  }
  const std::string domain = DomainOf(key);
  for (int attempt = 0; attempt < 2; ++attempt) {
    {
      std::shared_lock lock(mu_);
      if (master_.empty()) {
        return Status::Sealed();
      }
      uint32_t version = parts.kek_version;
      if (const crypto::SecureBuffer* kek = FindKek(domain, &version)) {
        crypto::DataKey dek;
        if (!crypto::AeadOpenDataKey(*kek, parts.wrapped_dek, DekAad(key), &dek).ok()) {
          return Status::Corruption("barrier entry " + std::string(key) + " failed authentication");
        }
        auto plain = crypto::AeadOpen(dek, parts.ciphertext, key);
        if (!plain.ok()) {
          return Status::Corruption("barrier entry " + std::string(key) + " failed authentication");
        }
        return plain;
      }
    }
    COFFER_RETURN_IF_ERROR(EnsureKek(domain, parts.kek_version));
  }
  return Status::Internal("barrier keyring for " + domain + " is unavailable");
}

Status Barrier::CheckKey(std::string_view key) const {
  if (key.empty()) {
    return Status::InvalidArgument("storage key must not be empty");
  }
  if (key.starts_with(kKekPrefix)) {
    return Status::InvalidArgument("storage keys under core/kek/ are reserved");
  }
  return Status::Ok();
}

Result<std::string> Barrier::Get(std::string_view key) {
  COFFER_RETURN_IF_ERROR(CheckKey(key));
  if (sealed()) {
    return Status::Sealed();
  }
  COFFER_ASSIGN_OR_RETURN(std::string blob, physical_.Get(key));
  return Decrypt(key, blob);
}

Status Barrier::Put(std::string_view key, std::string_view value) {
  COFFER_RETURN_IF_ERROR(CheckKey(key));
  COFFER_ASSIGN_OR_RETURN(std::string blob, Encrypt(key, value));
  return physical_.Put(key, blob);
}

Status Barrier::Delete(std::string_view key) {
  COFFER_RETURN_IF_ERROR(CheckKey(key));
  if (sealed()) {
    return Status::Sealed();
  }
  return physical_.Delete(key);
}

Result<std::vector<std::string>> Barrier::List(std::string_view prefix) {
  if (sealed()) {
    return Status::Sealed();
  }
  if (prefix.starts_with(kKekPrefix)) {
    return Status::InvalidArgument("storage keys under core/kek/ are reserved");
  }
  return physical_.List(prefix);
}

Status Barrier::Transaction(const std::vector<storage::TxnOp>& ops) {
  COFFER_ASSIGN_OR_RETURN(std::vector<storage::TxnOp> sealed_ops, EncryptOps(ops));
  if (sealed()) {
    return Status::Sealed();
  }
  return physical_.Transaction(sealed_ops);
}

Result<std::vector<storage::TxnOp>> Barrier::EncryptOps(const std::vector<storage::TxnOp>& ops) {
  std::vector<storage::TxnOp> sealed_ops;
  sealed_ops.reserve(ops.size());
  for (const storage::TxnOp& op : ops) {
    COFFER_RETURN_IF_ERROR(CheckKey(op.key));
    if (op.kind == storage::TxnOp::Kind::kDelete) {
      sealed_ops.push_back(storage::TxnOp::Delete(op.key));
      continue;
    }
    COFFER_ASSIGN_OR_RETURN(std::string blob, Encrypt(op.key, op.value));
    sealed_ops.push_back(storage::TxnOp::Put(op.key, std::move(blob)));
  }
  return sealed_ops;
}

}  // namespace coffer::barrier
