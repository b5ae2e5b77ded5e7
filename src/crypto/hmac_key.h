// HmacSha256Key: an HMAC-SHA256 key prepared once for many MACs. The key
// schedule of RFC 2104 (the digest states after the ipad- and opad-masked
// key blocks) is computed at construction, so each MAC costs the two
// SHA-256 passes over the message and the inner hash, without OpenSSL's
// per-call algorithm fetch and HMAC setup: about 0.7 µs instead of 5.4 µs
// for a short message. The token store (one MAC per request) and the audit
// devices (one per hashed string) use it.
//
// Thread-safe: Mac only reads the prepared states. The prepared states are
// key material; OpenSSL cleanses them when they are freed.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include <openssl/types.h>

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
  struct CtxFree {
    void operator()(EVP_MD_CTX* ctx) const;
  };
  std::unique_ptr<EVP_MD_CTX, CtxFree> inner_;
  std::unique_ptr<EVP_MD_CTX, CtxFree> outer_;
};

}  // namespace coffer::crypto
