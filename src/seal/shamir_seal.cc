#include "seal/shamir_seal.h"

#include "crypto/aead.h"
#include "crypto/random.h"
#include "crypto/shamir.h"

namespace coffer::seal {

Result<ShamirSeal::Generated> ShamirSeal::Generate(int shares, int threshold) {
  COFFER_ASSIGN_OR_RETURN(crypto::SecureBuffer key, crypto::RandomKey());
  COFFER_ASSIGN_OR_RETURN(std::vector<crypto::SecureBuffer> parts,
                          crypto::ShamirSplit(key, shares, threshold));
  return Generated{ShamirSeal(std::move(key)), std::move(parts)};
}

Result<ShamirSeal> ShamirSeal::FromShares(const std::vector<crypto::SecureBuffer>& shares,
                                          int threshold) {
  for (const auto& share : shares) {
    if (share.size() != kShareSize) {
      return Status::InvalidArgument("invalid key share: expected " + std::to_string(kShareSize) +
                                     " bytes, got " + std::to_string(share.size()));
    }
  }
  if (threshold == 1 && shares.size() == 1) {
    // A 1-of-1 "split" is the key itself followed by its x byte.
    return ShamirSeal(crypto::SecureBuffer::FromBytes(shares[0].view().substr(0, kShareSize - 1)));
  }
  COFFER_ASSIGN_OR_RETURN(crypto::SecureBuffer key, crypto::ShamirCombine(shares));
  return ShamirSeal(std::move(key));
}

Result<std::string> ShamirSeal::WrapMaster(const crypto::SecureBuffer& master,
                                           std::string_view aad) {
  return crypto::AeadSeal(unseal_key_, master.view(), aad);
}

Result<crypto::SecureBuffer> ShamirSeal::UnwrapMaster(std::string_view blob,
                                                      std::string_view aad) {
  auto master = crypto::AeadOpenKey(unseal_key_, blob, aad);
  if (!master.ok()) {
    return Status::InvalidArgument(
        "unseal failed: the key shares do not reconstruct the unseal key");
  }
  return master;
}

}  // namespace coffer::seal
