// Process-wide protections for key material.
#pragma once

#include "base/status.h"

namespace coffer::crypto {

// LockProcessMemory calls mlockall(MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT) so
// no page of the process is swapped out. MCL_ONFAULT keeps large file
// mappings (LMDB) from being faulted in up front. Fails with a message that
// names disable_mlock when the kernel refuses.
Status LockProcessMemory();

// DisableCoreDumps sets RLIMIT_CORE to 0 and marks the process non-dumpable.
Status DisableCoreDumps();

// RaiseFileLimit raises RLIMIT_NOFILE's soft limit to its hard limit and
// returns the new soft limit.
Result<long> RaiseFileLimit();

}  // namespace coffer::crypto
