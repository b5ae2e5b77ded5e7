// SealConfig: how the unseal key is split, stored in plaintext at
// core/seal-config because it must be readable while sealed. It holds no
// secret; its bytes are part of the master key's associated data, so a
// tampered config makes unseal fail instead of silently changing K or N.
#pragma once

#include <string>

#include "base/status.h"

namespace coffer::core {

inline constexpr std::string_view kSealConfigKey = "core/seal-config";
inline constexpr std::string_view kMasterKey = "core/master";

struct SealConfig {
  std::string type = "shamir";
  int secret_shares = 0;
  int secret_threshold = 0;

  // Validate applies Vault's rules: 1 <= threshold <= shares <= 255, and a
  // threshold of 1 only with a single share.
  Status Validate() const;
  std::string Encode() const;
  static Result<SealConfig> Decode(std::string_view bytes);
  // MasterAad is the associated data of the sealed master key.
  static std::string MasterAad(std::string_view encoded_config);
};

}  // namespace coffer::core
