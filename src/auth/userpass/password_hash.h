// Slow, salted password hashing for the userpass auth method: scrypt
// (RFC 7914) through OpenSSL 3's EVP_KDF.
//
// Encoded form (what the user entry stores, never the password):
//
//   scrypt$<N>$<r>$<p>$<salt, base64>$<hash, base64>
//
// e.g. "scrypt$32768$8$1$3q2+7w...==$Rk9P...=". The parameters travel with
// the hash so they can be raised later without breaking stored users:
// VerifyPassword uses the ones in the string, HashPassword the current
// defaults. Base64 is the standard, padded alphabet, which has no '$'.
//
// All functions are thread-safe. A hash costs ~32 MiB of memory and tens of
// milliseconds of CPU with the default parameters; that is the point.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/status.h"

namespace coffer::auth::userpass {

struct ScryptParams {
  uint64_t n = 32768;  // CPU/memory cost, a power of two
  uint64_t r = 8;      // block size
  uint64_t p = 1;      // parallelism
};

// The parameters new hashes get (scrypt's interactive-login recommendation:
// 128 * N * r = 32 MiB per hash).
inline constexpr ScryptParams kDefaultScryptParams{};
inline constexpr size_t kSaltSize = 16;
inline constexpr size_t kHashSize = 32;

// HashPassword derives a fresh random salt and returns the encoded hash of
// `password` under `params`. InvalidArgument for an empty password or
// parameters outside the accepted range (see VerifyPassword); Internal if
// OpenSSL fails. The caller keeps ownership of `password` and should wipe
// it when done.
Result<std::string> HashPassword(std::string_view password,
                                 const ScryptParams& params = kDefaultScryptParams);

// VerifyPassword tells whether `password` hashes to `encoded` under the
// parameters and salt `encoded` names, comparing in constant time. It costs
// one full derivation whether or not the password matches. Corruption when
// `encoded` is malformed or its parameters are out of range (N a power of
// two in [2, 2^20], r in [1, 32], p in [1, 16], at most 256 MiB of memory,
// a 8..64-byte salt, a 16..64-byte hash); Internal if OpenSSL fails.
Result<bool> VerifyPassword(std::string_view password, std::string_view encoded);

// DummyPasswordHash is a well-formed hash under the default parameters that
// no password matches in practice (its salt and hash are all zeros). A login
// for an unknown user verifies against it, so it takes as long as a login
// with a wrong password.
std::string DummyPasswordHash();

}  // namespace coffer::auth::userpass
