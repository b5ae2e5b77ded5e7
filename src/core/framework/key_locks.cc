#include "core/framework/key_locks.h"

#include <functional>

namespace coffer::core::framework {

std::shared_mutex& KeyLocks::For(std::string_view key) {
  return locks_[std::hash<std::string_view>{}(key) % kStripes];
}

}  // namespace coffer::core::framework
