#include "crypto/process_hardening.h"

#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>

#include <cerrno>
#include <climits>
#include <fstream>
#include <optional>
#include <string>
#include <system_error>

namespace coffer::crypto {

namespace {

std::string ErrnoText(int err) { return std::system_category().message(err); }

// HasIpcLock tells whether the process holds CAP_IPC_LOCK, which exempts
// its locked memory from RLIMIT_MEMLOCK.
bool HasIpcLock() {
  std::ifstream in("/proc/self/status");
  std::string line;
  constexpr unsigned kCapIpcLock = 14;
  while (std::getline(in, line)) {
    if (line.rfind("CapEff:", 0) == 0) {
      try {
        unsigned long long caps = std::stoull(line.substr(7), nullptr, 16);
        return ((caps >> kCapIpcLock) & 1ULL) != 0;
      } catch (const std::exception&) {
        return false;
      }
    }
  }
  return false;
}

// NrOpen reads the kernel's ceiling for RLIMIT_NOFILE.
std::optional<rlim_t> NrOpen() {
  std::ifstream in("/proc/sys/fs/nr_open");
  unsigned long long v = 0;
  if (!(in >> v) || v == 0) {
    return std::nullopt;
  }
  return static_cast<rlim_t>(v);
}

}  // namespace

Status LockProcessMemory() {
  // With MCL_FUTURE every later allocation counts against RLIMIT_MEMLOCK; a
  // finite limit would make the server fail at random under load instead of
  // now, so insist on an unlimited one.
  rlimit memlock{};
  if (getrlimit(RLIMIT_MEMLOCK, &memlock) == 0 && memlock.rlim_cur != RLIM_INFINITY &&
      !HasIpcLock()) {
    const rlimit unlimited{RLIM_INFINITY, RLIM_INFINITY};
    if (setrlimit(RLIMIT_MEMLOCK, &unlimited) != 0) {
      // Without CAP_IPC_LOCK the finite limit applies to every later page.
      return Status::Internal(
          "the memlock limit is finite and cannot be raised, so mlock would make later "
          "allocations fail. Give the process the IPC_LOCK capability and an unlimited "
          "memlock limit, or, if swap is encrypted or disabled, set disable_mlock = true");
    }
  }
  if (mlockall(MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT) != 0) {
    const int err = errno;
    return Status::Internal(
        "failed to lock memory with mlockall: " + ErrnoText(err) +
        ". Give the process the IPC_LOCK capability (or a higher memlock limit), "
        "or, if swap is encrypted or disabled, set disable_mlock = true in the config");
  }
  return Status::Ok();
}

Status DisableCoreDumps() {
  const rlimit zero{0, 0};
  if (setrlimit(RLIMIT_CORE, &zero) != 0) {
    return Status::Internal("failed to set RLIMIT_CORE to 0: " + ErrnoText(errno));
  }
  // Non-dumpable also stops other processes of the same user from attaching
  // with ptrace or reading /proc/<pid>/mem.
  if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0) {
    return Status::Internal("failed to mark the process non-dumpable: " + ErrnoText(errno));
  }
  return Status::Ok();
}

Result<long> RaiseFileLimit() {
  rlimit lim{};
  if (getrlimit(RLIMIT_NOFILE, &lim) != 0) {
    return Status::Internal("getrlimit(RLIMIT_NOFILE) failed: " + ErrnoText(errno));
  }
  const std::optional<rlim_t> nr_open = NrOpen();
  // Raising the hard limit needs CAP_SYS_RESOURCE (normally root); simply
  // trying covers both cases, and a refusal leaves the old limits in place.
  if (nr_open && lim.rlim_max != RLIM_INFINITY && lim.rlim_max < *nr_open) {
    const rlimit raised{*nr_open, *nr_open};
    if (setrlimit(RLIMIT_NOFILE, &raised) == 0) {
      lim = raised;
    }
  }
  rlim_t target = lim.rlim_max;
  if (target == RLIM_INFINITY) {
    // The kernel refuses a soft limit above nr_open even when the hard
    // limit is unlimited.
    target = nr_open.value_or(lim.rlim_cur);
  }
  if (target > lim.rlim_cur) {
    const rlimit raised{target, lim.rlim_max};
    if (setrlimit(RLIMIT_NOFILE, &raised) != 0) {
      return Status::Internal("failed to raise RLIMIT_NOFILE: " + ErrnoText(errno));
    }
    lim.rlim_cur = target;
  }
  if (lim.rlim_cur == RLIM_INFINITY || lim.rlim_cur > static_cast<rlim_t>(LONG_MAX)) {
    return LONG_MAX;
  }
  return static_cast<long>(lim.rlim_cur);
}

}  // namespace coffer::crypto
