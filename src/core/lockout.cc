#include "core/lockout.h"

namespace coffer::core {

bool LoginLockout::Locked(const std::string& accessor, const std::string& alias, int64_t now) {
  std::lock_guard lock(mu_);
  auto it = states_.find({accessor, alias});
  return it != states_.end() && it->second.locked_until > now;
}

void LoginLockout::Failed(const std::string& accessor, const std::string& alias, int64_t now,
                          const LockoutConfig& config) {
  if (config.disabled || config.threshold <= 0 || alias.empty()) {
    return;
  }
  std::lock_guard lock(mu_);
  State& s = states_[{accessor, alias}];
  if (s.last_failure != 0 && now - s.last_failure >= config.counter_reset) {
    s.failures = 0;
  }
  s.failures += 1;
  s.last_failure = now;
  if (s.failures >= config.threshold) {
    s.locked_until = now + config.duration;
    s.failures = 0;
  }
}

void LoginLockout::Succeeded(const std::string& accessor, const std::string& alias) {
  std::lock_guard lock(mu_);
  states_.erase({accessor, alias});
}

std::vector<LoginLockout::LockedAlias> LoginLockout::LockedAt(int64_t now) {
  std::lock_guard lock(mu_);
  std::vector<LockedAlias> out;
  for (const auto& [key, state] : states_) {
    if (state.locked_until > now) {
      out.push_back({key.first, key.second, state.locked_until});
    }
  }
  return out;
}

bool LoginLockout::Unlock(const std::string& accessor, const std::string& alias, int64_t now) {
  std::lock_guard lock(mu_);
  auto it = states_.find({accessor, alias});
  if (it == states_.end()) {
    return false;
  }
  const bool was_locked = it->second.locked_until > now;
  states_.erase(it);
  return was_locked;
}

}  // namespace coffer::core
