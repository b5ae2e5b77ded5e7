// AES-256-GCM authenticated encryption over OpenSSL EVP. Thread-safe.
//
// Sealed format: nonce (12 bytes, random) || ciphertext || tag (16 bytes).
// The associated data is authenticated but not stored: the caller must pass
// the same `aad` to open, which is how a blob copied to another storage key
// fails to decrypt.
#pragma once

#include <string>
#include <string_view>

#include "base/status.h"
#include "crypto/secure_buffer.h"

namespace coffer::crypto {

inline constexpr size_t kAeadKeySize = 32;
inline constexpr size_t kAeadNonceSize = 12;
inline constexpr size_t kAeadTagSize = 16;
inline constexpr size_t kAeadOverhead = kAeadNonceSize + kAeadTagSize;

// AeadSeal encrypts `plaintext` under `key` (32 bytes) with a fresh random
// nonce. Fails with InvalidArgument for a wrong key size.
Result<std::string> AeadSeal(const SecureBuffer& key, std::string_view plaintext,
                             std::string_view aad);

// AeadOpen decrypts and authenticates `sealed`. Any change to the key,
// sealed bytes or aad yields Corruption.
Result<std::string> AeadOpen(const SecureBuffer& key, std::string_view sealed,
                             std::string_view aad);

// AeadOpenKey is AeadOpen for sealed key material: the plaintext goes
// straight into a SecureBuffer.
Result<SecureBuffer> AeadOpenKey(const SecureBuffer& key, std::string_view sealed,
                                 std::string_view aad);

}  // namespace coffer::crypto
