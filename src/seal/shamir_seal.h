// ShamirSeal: the master key is AES-256-GCM-wrapped under an unseal key that
// exists only transiently — split into K-of-N shares at init, recombined
// from shares at unseal, and wiped when this object goes away.
#pragma once

#include <vector>

#include "seal/seal.h"

namespace coffer::seal {

class ShamirSeal final : public Seal {
 public:
  explicit ShamirSeal(crypto::SecureBuffer unseal_key) : unseal_key_(std::move(unseal_key)) {}

  // Generate creates a fresh random unseal key and its shares.
  struct Generated;
  static Result<Generated> Generate(int shares, int threshold);

  // FromShares recombines an unseal key; InvalidArgument for malformed or
  // duplicate shares. A wrong share is only detected by UnwrapMaster.
  static Result<ShamirSeal> FromShares(const std::vector<crypto::SecureBuffer>& shares,
                                       int threshold);

  std::string_view Type() const override { return "shamir"; }
  Result<std::string> WrapMaster(const crypto::SecureBuffer& master,
                                 std::string_view aad) override;
  Result<crypto::SecureBuffer> UnwrapMaster(std::string_view blob,
                                            std::string_view aad) override;

 private:
  crypto::SecureBuffer unseal_key_;
};

struct ShamirSeal::Generated {
  ShamirSeal seal;
  std::vector<crypto::SecureBuffer> shares;
};

// kShareSize is the length of one share: a 32-byte key share plus its x byte.
inline constexpr size_t kShareSize = 33;

}  // namespace coffer::seal
