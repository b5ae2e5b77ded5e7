// seal::Seal protects the master key at rest (storage key core/master).
//
// Implementations must guarantee: WrapMaster output reveals nothing about
// the master key; UnwrapMaster authenticates both the blob and `aad` and
// fails with InvalidArgument (never returns a wrong key) when either was
// changed or the seal's own key is wrong. Thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "base/status.h"
#include "crypto/secure_buffer.h"

namespace coffer::seal {

class Seal {
 public:
  virtual ~Seal() = default;
  virtual std::string_view Type() const = 0;
  virtual Result<std::string> WrapMaster(const crypto::SecureBuffer& master,
                                         std::string_view aad) = 0;
  virtual Result<crypto::SecureBuffer> UnwrapMaster(std::string_view blob,
                                                    std::string_view aad) = 0;
};

}  // namespace coffer::seal
