// AES-256-GCM authenticated encryption over OpenSSL EVP. Thread-safe.
//
// Sealed format: nonce (12 bytes, random) || ciphertext || tag (16 bytes).
// The associated data is authenticated but not stored: the caller must pass
// the same `aad` to open, which is how a blob copied to another storage key
// fails to decrypt.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "base/status.h"
#include "crypto/secure_buffer.h"

namespace coffer::crypto {

inline constexpr size_t kAeadKeySize = 32;
inline constexpr size_t kAeadNonceSize = 12;
inline constexpr size_t kAeadTagSize = 16;
inline constexpr size_t kAeadOverhead = kAeadNonceSize + kAeadTagSize;

// DataKey is a 32-byte AES key held inline and wiped on destruction: for
// short-lived per-entry keys (the barrier's DEKs), where a SecureBuffer's
// page allocation and mlock per key would cost more than the encryption.
// Long-lived keys (master, KEKs) stay in SecureBuffer.
class DataKey {
 public:
  static constexpr size_t kSize = 32;
  DataKey() = default;
  ~DataKey();
  DataKey(DataKey&& other) noexcept;
  DataKey(const DataKey&) = delete;
  DataKey& operator=(const DataKey&) = delete;
  DataKey& operator=(DataKey&&) = delete;

  static Result<DataKey> Random();
  // FromBytes copies 32 bytes (fresh from RandomBytes) into a new key; the
  // caller remains responsible for wiping the source.
  static DataKey FromBytes(std::span<const uint8_t, kSize> bytes);
  uint8_t* data() { return bytes_.data(); }
  const uint8_t* data() const { return bytes_.data(); }
  std::string_view view() const {
    return {reinterpret_cast<const char*>(bytes_.data()), bytes_.size()};
  }

 private:
  std::array<uint8_t, kSize> bytes_{};
};

// AeadSeal encrypts `plaintext` under `key` (32 bytes) with a fresh random
// nonce. Fails with InvalidArgument for a wrong key size.
Result<std::string> AeadSeal(const SecureBuffer& key, std::string_view plaintext,
                             std::string_view aad);
Result<std::string> AeadSeal(const DataKey& key, std::string_view plaintext,
                             std::string_view aad);

// AeadSealTo is AeadSeal with a nonce the caller drew, writing the sealed
// form (nonce || ciphertext || tag) to `out`, which must be exactly
// plaintext.size() + kAeadOverhead bytes (InvalidArgument otherwise). It lets
// a caller that seals several values draw all their randomness with one
// RandomBytes call, which costs about as much as sealing a small value, and
// seal straight into its own output. `nonce` must be fresh bytes from
// RandomBytes used for nothing else: two messages sealed under one key with
// one nonce break GCM's confidentiality and integrity.
Status AeadSealTo(const SecureBuffer& key, std::span<const uint8_t, kAeadNonceSize> nonce,
                  std::string_view plaintext, std::string_view aad, std::span<uint8_t> out);
Status AeadSealTo(const DataKey& key, std::span<const uint8_t, kAeadNonceSize> nonce,
                  std::string_view plaintext, std::string_view aad, std::span<uint8_t> out);

// AeadOpen decrypts and authenticates `sealed`. Any change to the key,
// sealed bytes or aad yields Corruption.
Result<std::string> AeadOpen(const SecureBuffer& key, std::string_view sealed,
                             std::string_view aad);
Result<std::string> AeadOpen(const DataKey& key, std::string_view sealed,
                             std::string_view aad);

// AeadOpenKey is AeadOpen for sealed key material: the plaintext goes
// straight into a SecureBuffer.
Result<SecureBuffer> AeadOpenKey(const SecureBuffer& key, std::string_view sealed,
                                 std::string_view aad);

// AeadOpenDataKey opens a sealed 32-byte key into `out` (wiped on failure).
Status AeadOpenDataKey(const SecureBuffer& kek, std::string_view sealed, std::string_view aad,
                       DataKey* out);

}  // namespace coffer::crypto
