// SHA-256, HMAC-SHA256 and HKDF-SHA256 over OpenSSL. Thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "base/status.h"
#include "crypto/secure_buffer.h"

namespace coffer::crypto {

inline constexpr size_t kSha256Size = 32;

// Sha256 returns the 32-byte digest of `data`.
std::string Sha256(std::string_view data);

// HmacSha256 returns the 32-byte MAC of `data` under `key` (any length).
std::string HmacSha256(std::string_view key, std::string_view data);
inline std::string HmacSha256(const SecureBuffer& key, std::string_view data) {
  return HmacSha256(key.view(), data);
}

// HkdfSha256 derives `length` bytes from `ikm` (RFC 5869) with `salt` and
// `info` (the label that separates uses of one master key).
Result<SecureBuffer> HkdfSha256(const SecureBuffer& ikm, std::string_view salt,
                                std::string_view info, size_t length = 32);

}  // namespace coffer::crypto
