// Login lockout (Vault's user lockout): after `threshold` failed logins for
// one alias (a user name, a role_id) on one auth mount, further logins for
// that alias are refused for `duration`, even with the right credentials.
// Failures older than `counter_reset` stop counting. sys/locked-users lists
// and unlocks.
//
// Thread-safe. Kept in memory: a restart unlocks everyone (see docs).
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace coffer::core {

struct LockoutConfig {
  int64_t threshold = 5;        // failed logins that lock
  int64_t duration = 15 * 60;   // seconds locked
  int64_t counter_reset = 15 * 60;  // seconds after which failures are forgotten
  bool disabled = false;
};

class LoginLockout {
 public:
  // Locked tells whether `alias` on mount `accessor` is locked at `now`.
  bool Locked(const std::string& accessor, const std::string& alias, int64_t now);
  // Failed counts one failed login; it locks the alias at the threshold.
  void Failed(const std::string& accessor, const std::string& alias, int64_t now,
              const LockoutConfig& config);
  // Succeeded clears the alias's failures.
  void Succeeded(const std::string& accessor, const std::string& alias);

  struct LockedAlias {
    std::string accessor;
    std::string alias;
    int64_t locked_until = 0;
  };
  std::vector<LockedAlias> LockedAt(int64_t now);
  // Unlock clears the alias; false if it was not locked.
  bool Unlock(const std::string& accessor, const std::string& alias, int64_t now);

 private:
  struct State {
    int64_t failures = 0;
    int64_t last_failure = 0;
    int64_t locked_until = 0;
  };
  std::mutex mu_;
  std::map<std::pair<std::string, std::string>, State> states_;  // guarded by mu_
};

}  // namespace coffer::core
