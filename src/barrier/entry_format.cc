#include "barrier/entry_format.h"

namespace coffer::barrier {

namespace {
constexpr size_t kHeaderSize = kEntryHeaderSize;
}  // namespace

void EncodeEntryHeader(uint32_t kek_version, size_t wrapped_dek_size, char* out) {
  out[0] = static_cast<char>(kEntryFormatV1);
  for (int i = 0; i < 4; ++i) {
    out[1 + i] = static_cast<char>((kek_version >> (24 - 8 * i)) & 0xff);
  }
  // A DEK is 32 bytes and its AEAD overhead 28: always far below 65535.
  out[5] = static_cast<char>((wrapped_dek_size >> 8) & 0xff);
  out[6] = static_cast<char>(wrapped_dek_size & 0xff);
}

std::string EncodeEntry(uint32_t kek_version, std::string_view wrapped_dek,
                        std::string_view ciphertext) {
  std::string out;
  out.reserve(kHeaderSize + wrapped_dek.size() + ciphertext.size());
  out.resize(kHeaderSize);
  EncodeEntryHeader(kek_version, wrapped_dek.size(), out.data());
  out.append(wrapped_dek);
  out.append(ciphertext);
  return out;
}

Result<EntryParts> DecodeEntry(std::string_view blob) {
  if (blob.size() < kHeaderSize) {
    return Status::Corruption("barrier entry is truncated");
  }
  auto byte = [&](size_t i) { return static_cast<uint8_t>(blob[i]); };
  if (byte(0) != kEntryFormatV1) {
    return Status::Corruption("barrier entry has unknown format version");
  }
  EntryParts parts;
  parts.kek_version = (uint32_t{byte(1)} << 24) | (uint32_t{byte(2)} << 16) |
                      (uint32_t{byte(3)} << 8) | uint32_t{byte(4)};
  const size_t dek_len = (size_t{byte(5)} << 8) | size_t{byte(6)};
  if (blob.size() - kHeaderSize < dek_len) {
    return Status::Corruption("barrier entry is truncated");
  }
  parts.wrapped_dek = blob.substr(kHeaderSize, dek_len);
  parts.ciphertext = blob.substr(kHeaderSize + dek_len);
  return parts;
}

std::string DekAad(std::string_view storage_key) {
  std::string aad(kDekAadPrefix);
  aad.append(storage_key);
  return aad;
}

}  // namespace coffer::barrier
