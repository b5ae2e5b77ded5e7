#include "base/encoding.h"

#include <openssl/evp.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>

namespace coffer {

namespace {

constexpr char kHexDigits[] = "0123456789abcdef";

// HexValue returns 0..15 for a hex digit, -1 otherwise.
int HexValue(char c) {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  if (c >= 'A' && c <= 'F') {
    return c - 'A' + 10;
  }
  return -1;
}

// EVP_EncodeBlock/EVP_DecodeBlock take an int length, so large inputs are
// processed in chunks. Each chunk is a whole number of base64 groups
// (3 bytes in, 4 characters out), so chunk outputs concatenate cleanly.
constexpr size_t kGroupsPerChunk = size_t{1} << 20;
constexpr size_t kEncodeChunk = 3 * kGroupsPerChunk;
constexpr size_t kDecodeChunk = 4 * kGroupsPerChunk;

bool IsBase64AlphabetChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' ||
         c == '/';
}

// PaddingLength validates the shape of padded standard base64 and returns the
// number of trailing '=' (0..2), or -1 when malformed. EVP_DecodeBlock is
// lenient (it trims whitespace and decodes '=' anywhere as zero bits), so
// every character is checked here first. Like Go's base64.StdEncoding (what
// Vault uses), unused low bits before the padding are not required to be zero.
int PaddingLength(std::string_view b64) {
  if (b64.size() % 4 != 0) {
    return -1;
  }
  size_t pad = 0;
  while (pad < 2 && pad < b64.size() && b64[b64.size() - 1 - pad] == '=') {
    ++pad;
  }
  for (size_t i = 0; i < b64.size() - pad; ++i) {
    if (!IsBase64AlphabetChar(b64[i])) {
      return -1;
    }
  }
  return static_cast<int>(pad);
}

}  // namespace

std::string HexEncode(std::string_view bytes) {
  std::string out;
  out.resize(bytes.size() * 2);
  for (size_t i = 0; i < bytes.size(); ++i) {
    const auto b = static_cast<uint8_t>(bytes[i]);
    out[2 * i] = kHexDigits[b >> 4];
    out[2 * i + 1] = kHexDigits[b & 0x0f];
  }
  return out;
}

std::optional<std::string> HexDecode(std::string_view hex) {
  if (hex.size() % 2 != 0) {
    return std::nullopt;
  }
  std::string out;
  out.resize(hex.size() / 2);
  for (size_t i = 0; i < out.size(); ++i) {
    const int hi = HexValue(hex[2 * i]);
    const int lo = HexValue(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) {
      return std::nullopt;
    }
    out[i] = static_cast<char>((hi << 4) | lo);
  }
  return out;
}

std::string Base64Encode(std::string_view bytes) {
  std::string out;
  // 4 output characters per started group of 3 input bytes; no overflow for
  // any string that fits in memory.
  out.resize((bytes.size() + 2) / 3 * 4);
  size_t written = 0;
  for (size_t pos = 0; pos < bytes.size(); pos += kEncodeChunk) {
    const size_t n = std::min(kEncodeChunk, bytes.size() - pos);
    const int w = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data() + written),
                                  reinterpret_cast<const unsigned char*>(bytes.data() + pos),
                                  static_cast<int>(n));
    written += static_cast<size_t>(w);
  }
  out.resize(written);
  return out;
}

std::optional<std::string> Base64Decode(std::string_view b64) {
  const int pad = PaddingLength(b64);
  if (pad < 0) {
    return std::nullopt;
  }
  std::string out;
  out.resize(b64.size() / 4 * 3);
  size_t written = 0;
  for (size_t pos = 0; pos < b64.size(); pos += kDecodeChunk) {
    const size_t n = std::min(kDecodeChunk, b64.size() - pos);
    const int w = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data() + written),
                                  reinterpret_cast<const unsigned char*>(b64.data() + pos),
                                  static_cast<int>(n));
    if (w < 0) {
      return std::nullopt;
    }
    written += static_cast<size_t>(w);
  }
  // EVP_DecodeBlock decodes each '=' as zero bits and returns them as bytes.
  out.resize(written - static_cast<size_t>(pad));
  return out;
}

std::string Base64UrlEncode(std::string_view bytes) {
  std::string out = Base64Encode(bytes);
  while (!out.empty() && out.back() == '=') {
    out.pop_back();
  }
  for (char& c : out) {
    c = c == '+' ? '-' : c == '/' ? '_' : c;
  }
  return out;
}

std::optional<std::string> Base64UrlDecode(std::string_view b64url) {
  std::string standard(b64url);
  for (char& c : standard) {
    if (c == '+' || c == '/' || c == '=') {
      return std::nullopt;  // not the URL alphabet, or padded
    }
    c = c == '-' ? '+' : c == '_' ? '/' : c;
  }
  if (standard.size() % 4 == 1) {
    return std::nullopt;
  }
  standard.append((4 - standard.size() % 4) % 4, '=');
  return Base64Decode(standard);
}

std::optional<std::string> PercentDecode(std::string_view in, bool plus_as_space) {
  std::string out;
  out.reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '%') {
      if (in.size() - i < 3) {
        return std::nullopt;
      }
      const int hi = HexValue(in[i + 1]);
      const int lo = HexValue(in[i + 2]);
      if (hi < 0 || lo < 0) {
        return std::nullopt;
      }
      c = static_cast<char>(hi * 16 + lo);
      i += 2;
    } else if (c == '+' && plus_as_space) {
      c = ' ';
    }
    if (c == '\0') {
      return std::nullopt;
    }
    out.push_back(c);
  }
  return out;
}

}  // namespace coffer
