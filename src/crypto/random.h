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

}  // namespace coffer::crypto
