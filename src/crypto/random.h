// CSPRNG over OpenSSL's RAND_bytes. Thread-safe.
#pragma once

#include <span>
#include <string>

#include "base/status.h"
#include "crypto/secure_buffer.h"

namespace coffer::crypto {

// RandomBytes fills `out` from the CSPRNG; fails only if OpenSSL's RNG does.
Status RandomBytes(std::span<uint8_t> out);

// RandomKey returns `size` random bytes in a SecureBuffer (default: an AES-256 key).
Result<SecureBuffer> RandomKey(size_t size = 32);

// RandomString returns `size` random bytes in a plain string (nonces, ids).
Result<std::string> RandomString(size_t size);

// RandomUuid returns a random (version 4) UUID in its canonical text form.
Result<std::string> RandomUuid();

// FormatUuid writes 16 random bytes as a version 4 UUID in canonical
// 8-4-4-4-12 form, setting the version and variant bits (RFC 4122 4.4).
std::string FormatUuid(std::span<const uint8_t, 16> random);

}  // namespace coffer::crypto
