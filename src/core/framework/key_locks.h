// KeyLocks: a fixed set of mutexes picked by key hash (Vault's locksutil),
// so read-modify-write handlers on one key serialize without a lock per key
// living forever. Two keys may share a lock; that only costs concurrency.
// Thread-safe.
#pragma once

#include <array>
#include <mutex>
#include <shared_mutex>
#include <string_view>

namespace coffer::core::framework {

class KeyLocks {
 public:
  // For returns the lock guarding `key`; it lives as long as this object.
  std::shared_mutex& For(std::string_view key);

 private:
  static constexpr size_t kStripes = 256;
  std::array<std::shared_mutex, kStripes> locks_;
};

}  // namespace coffer::core::framework
