#include "crypto/random.h"

#include <openssl/rand.h>

#include <algorithm>
#include <array>
#include <climits>


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
  return FormatUuid(b);
}

std::string FormatUuid(std::span<const uint8_t, 16> random) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(36, '-');
  size_t pos = 0;
  for (size_t i = 0; i < random.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) {
      ++pos;  // a dash
    }
    uint8_t byte = random[i];
    if (i == 6) {
      byte = static_cast<uint8_t>((byte & 0x0f) | 0x40);  // version 4
    } else if (i == 8) {
      byte = static_cast<uint8_t>((byte & 0x3f) | 0x80);  // variant 10xx
    }
    out[pos++] = kHex[byte >> 4];
    out[pos++] = kHex[byte & 0x0f];
  }
  return out;
}

}  // namespace coffer::crypto
