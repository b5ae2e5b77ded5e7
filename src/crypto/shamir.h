// Shamir secret sharing over GF(2^8), through libgfshare.
//
// Share format (as Vault's): the share bytes (same length as the secret)
// followed by one byte, the share's x coordinate (1..255, never 0).
#pragma once

#include <span>
#include <vector>

#include "base/status.h"
#include "crypto/secure_buffer.h"

namespace coffer::crypto {

// ShamirSplit splits `secret` into `parts` shares, any `threshold` of which
// recover it. Requires 1 <= threshold <= parts <= 255 and threshold >= 2
// unless parts == 1 (then the single share is the secret plus an x byte).
Result<std::vector<SecureBuffer>> ShamirSplit(const SecureBuffer& secret, int parts,
                                              int threshold);

// ShamirCombine recovers the secret from `shares`. Fails with InvalidArgument
// when there are fewer than 2 shares (unless exactly 1 share of a 1-of-1
// split, which callers handle), when lengths differ, or when two shares have
// the same x coordinate. A wrong share is not detectable here: it yields a
// different secret, which the caller's authenticated decrypt then rejects.
Result<SecureBuffer> ShamirCombine(std::span<const SecureBuffer> shares);

}  // namespace coffer::crypto
