// The barrier's on-disk entry format (docs/barrier-format.md is the spec).
//
//   byte 0       format version, 0x01
//   bytes 1..4   KEK version, big-endian uint32
//   bytes 5..6   length L of the wrapped DEK, big-endian uint16
//   L bytes      AES-256-GCM(KEK, DEK, aad = "dek:" + storage key)
//   the rest     AES-256-GCM(DEK, value, aad = storage key)
//
// The KEK's domain (which mount's keyring) is not stored: it follows from
// the storage key, so an entry moved across mounts cannot even find its key.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/status.h"

namespace coffer::barrier {

inline constexpr uint8_t kEntryFormatV1 = 0x01;
inline constexpr size_t kEntryHeaderSize = 1 + 4 + 2;
// The prefix of DekAad, before the storage key.
inline constexpr std::string_view kDekAadPrefix = "dek:";

struct EntryParts {
  uint32_t kek_version = 0;
  std::string_view wrapped_dek;
  std::string_view ciphertext;
};

// EncodeEntry lays out the parts in the format above.
std::string EncodeEntry(uint32_t kek_version, std::string_view wrapped_dek,
                        std::string_view ciphertext);

// EncodeEntryHeader writes the first kEntryHeaderSize bytes of the format
// above to `out`; `wrapped_dek_size` must be below 65536.
void EncodeEntryHeader(uint32_t kek_version, size_t wrapped_dek_size, char* out);

// DecodeEntry splits `blob` into views of its parts (they point into
// `blob`); Corruption when the blob is truncated or of an unknown version.
Result<EntryParts> DecodeEntry(std::string_view blob);

// DekAad is the associated data that binds a wrapped DEK to its entry.
std::string DekAad(std::string_view storage_key);

}  // namespace coffer::barrier
