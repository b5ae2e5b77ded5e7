#include "barrier/barrier.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstring>
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

constexpr size_t kWrappedDekSize = crypto::DataKey::kSize + crypto::kAeadOverhead;
static_assert(Barrier::kEntryRandomSize == crypto::DataKey::kSize + 2 * crypto::kAeadNonceSize);

// EntryRandomness holds the randomness of up to kBatch entries, drawn in one
// RandomBytes call, and wipes it (it holds DEKs) when it goes out of scope.
class EntryRandomness {
 public:
  static constexpr size_t kBatch = 8;
  EntryRandomness() = default;
  EntryRandomness(const EntryRandomness&) = delete;
  EntryRandomness& operator=(const EntryRandomness&) = delete;
  ~EntryRandomness() { crypto::Wipe(bytes_.data(), bytes_.size()); }

  // Next returns fresh randomness for one entry; `remaining` (at least 1)
  // is how many entries the caller still has to seal, so one draw covers
  // up to kBatch of them.
  Result<Barrier::EntryRandom> Next(size_t remaining) {
    if (used_ == drawn_) {
      // At least one entry's worth: a zero here would hand out the
      // previous draw again (a reused nonce and key).
      drawn_ = std::clamp<size_t>(remaining, 1, kBatch);
      used_ = 0;
      COFFER_RETURN_IF_ERROR(
          crypto::RandomBytes({bytes_.data(), drawn_ * Barrier::kEntryRandomSize}));
    }
    const size_t offset = used_++ * Barrier::kEntryRandomSize;
    return Barrier::EntryRandom(bytes_.data() + offset, Barrier::kEntryRandomSize);
  }

 private:
  std::array<uint8_t, kBatch * Barrier::kEntryRandomSize> bytes_{};
  size_t drawn_ = 0;
  size_t used_ = 0;
};

// DekAadBuffer is DekAad(key) without a heap allocation for usual keys.
class DekAadBuffer {
 public:
  explicit DekAadBuffer(std::string_view storage_key) {
    if (storage_key.size() <= inline_.size() - kDekAadPrefix.size()) {
      std::memcpy(inline_.data(), kDekAadPrefix.data(), kDekAadPrefix.size());
      std::memcpy(inline_.data() + kDekAadPrefix.size(), storage_key.data(), storage_key.size());
      view_ = std::string_view(inline_.data(), kDekAadPrefix.size() + storage_key.size());
    } else {
      heap_ = DekAad(storage_key);
      view_ = heap_;
    }
  }
  DekAadBuffer(const DekAadBuffer&) = delete;
  DekAadBuffer& operator=(const DekAadBuffer&) = delete;
  std::string_view view() const { return view_; }

 private:
  std::array<char, 256> inline_;
  std::string heap_;
  std::string_view view_;
};

// SealEntry lays out one entry (entry_format.h) for `value` under a DEK
// taken from `random`, sealing straight into the entry's buffer.
Result<std::string> SealEntry(const crypto::SecureBuffer& kek, uint32_t kek_version,
                              std::string_view key, std::string_view value,
                              Barrier::EntryRandom random) {
  constexpr size_t kFixed = kEntryHeaderSize + kWrappedDekSize + crypto::kAeadOverhead;
  if (value.size() > SIZE_MAX - kFixed) {
    return Status::TooLarge("value too large");
  }
  const crypto::DataKey dek =
      crypto::DataKey::FromBytes(random.first<crypto::DataKey::kSize>());
  const auto wrap_nonce = random.subspan<crypto::DataKey::kSize, crypto::kAeadNonceSize>();
  const auto value_nonce =
      random.subspan<crypto::DataKey::kSize + crypto::kAeadNonceSize, crypto::kAeadNonceSize>();
  std::string entry(kFixed + value.size(), '\0');
  EncodeEntryHeader(kek_version, kWrappedDekSize, entry.data());
  auto* wrapped = reinterpret_cast<uint8_t*>(entry.data()) + kEntryHeaderSize;
  const DekAadBuffer dek_aad(key);
  COFFER_RETURN_IF_ERROR(
      crypto::AeadSealTo(kek, wrap_nonce, dek.view(), dek_aad.view(), {wrapped, kWrappedDekSize}));
  COFFER_RETURN_IF_ERROR(crypto::AeadSealTo(
      dek, value_nonce, value, key,
      {wrapped + kWrappedDekSize, value.size() + crypto::kAeadOverhead}));
  return entry;
}

}  // namespace

Barrier::Barrier(storage::Backend& physical) : physical_(physical) {}

Barrier::~Barrier() { Seal(); }

std::string Barrier::DomainOf(std::string_view key) { return std::string(DomainView(key)); }

std::string_view Barrier::DomainView(std::string_view key) {
  if (key.starts_with(kLogicalPrefix)) {
    std::string_view rest = key.substr(kLogicalPrefix.size());
    size_t slash = rest.find('/');
    if (slash != std::string_view::npos && slash > 0) {
      return rest.substr(0, slash);
    }
  }
  return kSystemDomain;
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

const crypto::SecureBuffer* Barrier::FindKek(std::string_view domain,
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

Result<std::string> Barrier::Encrypt(std::string_view key, std::string_view value,
                                     EntryRandom random) {
  const std::string_view domain = DomainView(key);
  for (int attempt = 0; attempt < 2; ++attempt) {
    {
      std::shared_lock lock(mu_);
      if (master_.empty()) {
        return Status::Sealed();
      }
      uint32_t version = 0;
      if (const crypto::SecureBuffer* kek = FindKek(domain, &version)) {
        return SealEntry(*kek, version, key, value, random);
      }
    }
    COFFER_RETURN_IF_ERROR(EnsureKek(std::string(domain), 0));
  }
  return Status::Internal("barrier keyring for " + std::string(domain) + " is unavailable");
}

Result<std::string> Barrier::Decrypt(std::string_view key, std::string_view blob) {
  COFFER_ASSIGN_OR_RETURN(EntryParts parts, DecodeEntry(blob));
  if (parts.kek_version == 0) {
    return Status::Corruption("barrier entry names KEK version 0");
  }
  const std::string_view domain = DomainView(key);
  for (int attempt = 0; attempt < 2; ++attempt) {
    {
      std::shared_lock lock(mu_);
      if (master_.empty()) {
        return Status::Sealed();
      }
      uint32_t version = parts.kek_version;
      if (const crypto::SecureBuffer* kek = FindKek(domain, &version)) {
        crypto::DataKey dek;
        const DekAadBuffer dek_aad(key);
        if (!crypto::AeadOpenDataKey(*kek, parts.wrapped_dek, dek_aad.view(), &dek).ok()) {
          return Status::Corruption("barrier entry " + std::string(key) + " failed authentication");
        }
        auto plain = crypto::AeadOpen(dek, parts.ciphertext, key);
        if (!plain.ok()) {
          return Status::Corruption("barrier entry " + std::string(key) + " failed authentication");
        }
        return plain;
      }
    }
    COFFER_RETURN_IF_ERROR(EnsureKek(std::string(domain), parts.kek_version));
  }
  return Status::Internal("barrier keyring for " + std::string(domain) + " is unavailable");
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
  COFFER_ASSIGN_OR_RETURN(std::string blob, GetStored(key));
  return Decrypt(key, blob);
}

Result<std::string> Barrier::GetStored(std::string_view key) {
  COFFER_RETURN_IF_ERROR(CheckKey(key));
  if (sealed()) {
    return Status::Sealed();
  }
  return physical_.Get(key);
}

Result<std::string> Barrier::Open(std::string_view key, std::string_view stored) {
  COFFER_RETURN_IF_ERROR(CheckKey(key));
  return Decrypt(key, stored);  // refuses while sealed
}

Status Barrier::Put(std::string_view key, std::string_view value) {
  COFFER_RETURN_IF_ERROR(CheckKey(key));
  std::string blob;
  {
    EntryRandomness random;
    COFFER_ASSIGN_OR_RETURN(EntryRandom entry_random, random.Next(1));
    COFFER_ASSIGN_OR_RETURN(blob, Encrypt(key, value, entry_random));
  }
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
  size_t puts = static_cast<size_t>(std::count_if(ops.begin(), ops.end(), [](const auto& op) {
    return op.kind == storage::TxnOp::Kind::kPut;
  }));
  EntryRandomness random;
  for (const storage::TxnOp& op : ops) {
    COFFER_RETURN_IF_ERROR(CheckKey(op.key));
    if (op.kind == storage::TxnOp::Kind::kDelete) {
      sealed_ops.push_back(storage::TxnOp::Delete(op.key));
      continue;
    }
    COFFER_ASSIGN_OR_RETURN(EntryRandom entry_random, random.Next(puts--));
    COFFER_ASSIGN_OR_RETURN(std::string blob, Encrypt(op.key, op.value, entry_random));
    sealed_ops.push_back(storage::TxnOp::Put(op.key, std::move(blob)));
  }
  return sealed_ops;
}

}  // namespace coffer::barrier
