// HmacSha256Key: an HMAC-SHA256 key prepared once for many MACs. The key
// schedule of RFC 2104 (the digest states after the ipad- and opad-masked
// key blocks) is computed at construction, so each MAC costs the two
// SHA-256 passes over the message and the inner hash. The states are plain
// SHA-256 midstates, copied by value per MAC, so a MAC makes no provider
// call and no allocation: about 0.15 µs for a short message, against 0.37
// µs with copied EVP contexts and 5.4 µs with one-shot HMAC(). The token
// store (one MAC per request), AppRole and the audit devices (one per
// hashed string) use it.
//
// Thread-safe: Mac only reads the prepared states. The states are key
// material: they live in one heap block that is cleansed when the key is
// destroyed, and every per-MAC copy is cleansed before MacInto returns.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "crypto/secure_buffer.h"

namespace coffer::crypto {

class HmacSha256Key {
 public:
  // An empty key is a valid HMAC key.
  explicit HmacSha256Key(std::string_view key);
  explicit HmacSha256Key(const SecureBuffer& key) : HmacSha256Key(key.view()) {}

  // Mac returns the 32-byte MAC of `data`; equal to HmacSha256(key, data).
  std::string Mac(std::string_view data) const;
  // MacInto writes the 32-byte MAC to `out`.
  void MacInto(std::string_view data, unsigned char out[32]) const;

 private:
  struct Midstates;  // the ipad and opad states; defined in hmac_key.cc
  struct MidstatesFree {
    void operator()(Midstates* states) const;
  };
  std::unique_ptr<Midstates, MidstatesFree> states_;
};

}  // namespace coffer::crypto
