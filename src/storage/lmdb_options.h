// Parameters of `storage "lmdb" { ... }`, validated before anything touches
// the disk.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "base/status.h"
#include "storage/backend.h"

namespace coffer::storage {

struct LmdbOptions {
  // Directory holding data.mdb and lock.mdb; created (mode 0700) if missing.
  std::string path;
  // Initial size of the memory map, in bytes. The map grows automatically
  // when it fills, so this only sets the starting address-space reservation.
  size_t map_size = size_t{1} << 30;
};

// kLmdbMinMapSize is the smallest accepted map_size: below it almost every
// write would have to grow the map first.
inline constexpr size_t kLmdbMinMapSize = size_t{1} << 20;

// ParseLmdbOptions validates `config`: `path` is required, `map_size` is
// optional; any other parameter, or a bad value, is InvalidArgument naming it.
Result<LmdbOptions> ParseLmdbOptions(const BackendConfig& config);

// ParseByteSize parses "1073741824", "512MB", "1GiB", "2g" (case-insensitive;
// K/M/G/T with optional "B" or "iB" are all powers of 1024, as memory sizes
// usually are). InvalidArgument for anything else or on overflow.
Result<size_t> ParseByteSize(std::string_view text);

}  // namespace coffer::storage
