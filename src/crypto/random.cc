#include "crypto/random.h"

#include <openssl/rand.h>

#include <algorithm>
#include <array>
#include <climits>

#include "base/encoding.h"

namespace coffer::crypto {

Status RandomBytes(std::span<uint8_t> out) {
  // RAND_bytes takes an int count, so very large requests go in chunks.
  constexpr size_t kChunk = INT_MAX;
  for (size_t pos = 0; pos < out.size(); pos += kChunk) {
    const size_t n = std::min(kChunk, out.size() - pos);
    if (RAND_bytes(out.data() + pos, static_cast<int>(n)) != 1) {
      return Status::Internal("random number generator failed");
    }
  }
  return Status::Ok();
}

Result<SecureBuffer> RandomKey(size_t size) {
  SecureBuffer key(size);
  COFFER_RETURN_IF_ERROR(RandomBytes(key.span()));
  return key;
}

Result<std::string> RandomString(size_t size) {
  std::string out(size, '\0');
  COFFER_RETURN_IF_ERROR(
      RandomBytes({reinterpret_cast<uint8_t*>(out.data()), out.size()}));
  return out;
}

Result<std::string> RandomUuid() {
  std::array<uint8_t, 16> b{};
  COFFER_RETURN_IF_ERROR(RandomBytes(b));
  b[6] = static_cast<uint8_t>((b[6] & 0x0f) | 0x40);  // version 4 (RFC 4122 4.4)
  b[8] = static_cast<uint8_t>((b[8] & 0x3f) | 0x80);  // variant 10xx
  const std::string hex = HexEncode({reinterpret_cast<const char*>(b.data()), b.size()});
  // Canonical 8-4-4-4-12 grouping.
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" +
         hex.substr(16, 4) + "-" + hex.substr(20, 12);
}

}  // namespace coffer::crypto
