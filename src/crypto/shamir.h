// Shamir secret sharing over GF(2^8), through libgfshare.
//
// Share format (as Vault's): the share bytes (same length as the secret)
// followed by one byte, the share's x coordinate (1..255, never 0). The field
// is libgfshare's (reduction polynomial 0x11d), not Vault's (0x11b), so the
// layout matches Vault's but shares are not interchangeable with Vault's.
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
// when there are no shares, when a share is shorter than 2 bytes, when
// lengths differ, when an x coordinate is 0, or when two shares have the same
// x coordinate. One share yields its own bytes (how a 1-of-1 split is
// recovered); the caller checks it holds at least the threshold. Too few or
// wrong shares are not detectable here: they yield a different secret, which
// the caller's authenticated decrypt then rejects.
Result<SecureBuffer> ShamirCombine(std::span<const SecureBuffer> shares);

}  // namespace coffer::crypto
