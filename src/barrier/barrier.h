// Barrier: the one place that encrypts and authenticates what reaches
// storage (DESIGN.md, "Key hierarchy").
//
//   master key ─wraps→ KEK per domain, versioned   core/kek/<domain>/<version>
//   KEK        ─wraps→ a fresh DEK per entry        (inside the entry)
//   DEK        ─AES-256-GCM(value, aad = storage key)
//
// A domain is a mount's UUID for keys under "logical/<uuid>/", and "system"
// for everything else. Barrier implements storage::Backend, so anything
// that stores through it (views, the token store, engines) sees plaintext
// while the physical backend sees only ciphertext.
//
// Thread-safe. While sealed every data operation fails with Sealed. Seal()
// wipes the master key and every cached KEK.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <shared_mutex>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "crypto/secure_buffer.h"
#include "storage/backend.h"

namespace coffer::barrier {

inline constexpr std::string_view kSystemDomain = "system";
inline constexpr std::string_view kKekPrefix = "core/kek/";

class Barrier final : public storage::Backend {
 public:
  // `physical` must outlive the barrier.
  explicit Barrier(storage::Backend& physical);
  ~Barrier() override;

  // Initialize takes a new master key, creates the system keyring in memory
  // and leaves the barrier unsealed, so the caller can EncryptOps its first
  // entries (the root token). It returns the physical operations that
  // persist the keyring; the caller commits them in one transaction with the
  // sealed master key and its encrypted entries, so init is all or nothing,
  // and calls Seal() if that commit fails.
  Result<std::vector<storage::TxnOp>> Initialize(crypto::SecureBuffer master_key);

  // EncryptOps turns plaintext operations into the physical operations that
  // Transaction would commit.
  Result<std::vector<storage::TxnOp>> EncryptOps(const std::vector<storage::TxnOp>& ops);

  // Unseal takes the master key; it is checked by unwrapping the system KEK,
  // so a wrong master key fails with InvalidArgument and leaves the barrier
  // sealed.
  Status Unseal(crypto::SecureBuffer master_key);
  void Seal();
  bool sealed() const;

  // DeriveKey derives a purpose-specific key from the master key with HKDF;
  // `label` names the purpose (e.g. "token-hmac"). Sealed when sealed.
  Result<crypto::SecureBuffer> DeriveKey(std::string_view label) const;

  // RotateKek adds a new KEK version for `domain` (new writes use it; older
  // entries keep decrypting with their version) and returns its number.
  Result<uint32_t> RotateKek(std::string_view domain);

  // DomainOf returns the keyring domain a storage key belongs to.
  static std::string DomainOf(std::string_view key);

  // storage::Backend. Keys under core/kek/ are reserved (InvalidArgument).
  Result<std::string> Get(std::string_view key) override;
  // GetStored is the sealed entry as stored; Open authenticates and
  // decrypts it (Get is the two in one). Both refuse while sealed.
  Result<std::string> GetStored(std::string_view key) override;
  Result<std::string> Open(std::string_view key, std::string_view stored) override;
  Status Put(std::string_view key, std::string_view value) override;
  Status Delete(std::string_view key) override;
  Result<std::vector<std::string>> List(std::string_view prefix) override;
  Status Transaction(const std::vector<storage::TxnOp>& ops) override;
  std::string_view Name() const override { return "barrier"; }

  // The randomness one entry takes: its DEK and the nonces of its two seals.
  // Put and Transaction draw it for up to 8 entries in one RandomBytes call:
  // each call costs about as much as an AES-GCM seal of a small value.
  static constexpr size_t kEntryRandomSize = 32 + 2 * 12;
  using EntryRandom = std::span<const uint8_t, kEntryRandomSize>;

 private:
  struct Keyring {
    uint32_t active = 0;
    std::map<uint32_t, crypto::SecureBuffer> keks;
  };

  // Encrypt seals `value` as the entry for `key` with fresh `random`, which
  // it uses for nothing else.
  Result<std::string> Encrypt(std::string_view key, std::string_view value, EntryRandom random);
  Result<std::string> Decrypt(std::string_view key, std::string_view blob);
  // DomainView is DomainOf without the copy; it points into `key`.
  static std::string_view DomainView(std::string_view key);
  // EnsureKek makes sure `version` of `domain`'s KEK is cached (version 0:
  // the active one, creating the keyring when the domain has none yet).
  // Takes the exclusive lock; the hot path only calls it on a cache miss.
  Status EnsureKek(const std::string& domain, uint32_t version);
  // FindKek returns the cached KEK or nullptr; requires mu_ held (shared).
  const crypto::SecureBuffer* FindKek(std::string_view domain, uint32_t* version) const;
  Status CheckKey(std::string_view key) const;

  storage::Backend& physical_;
  mutable std::shared_mutex mu_;
  crypto::SecureBuffer master_;                 // guarded by mu_; empty when sealed
  std::map<std::string, Keyring, std::less<>> keyrings_;  // guarded by mu_
};

}  // namespace coffer::barrier
