// Offline verification of audit logs: the hash chain across one or more
// files given in order (rotated files first, the live file last).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "audit/line_format.h"
#include "base/status.h"

namespace coffer::audit {

struct CheckpointSeen {
  std::string file;
  uint64_t line = 0;  // 1-based
  ChainLink link;
  std::string hmac;
};

struct VerifyReport {
  bool ok = true;
  // On failure: where the first problem is and what it is, e.g.
  // "line 17 was edited: its hash does not match what line 18 records".
  std::string file;
  uint64_t line = 0;  // 1-based line number within `file`
  std::string problem;
  uint64_t entries = 0;  // lines checked
  uint64_t chains = 0;   // genesis lines seen (a restart with a new file starts one)
  std::vector<CheckpointSeen> checkpoints;
};

// VerifyFiles reads `files` in order as one stream of lines and checks
// that each line's prev is the SHA-256 of the line before it and that seq
// grows by one. It names the first line that was edited (its hash does not
// match its successor's prev), removed (a seq is skipped) or reordered (a
// seq comes back later). A file that cannot be read is an error Status;
// a broken chain is a report with ok = false.
Result<VerifyReport> VerifyFiles(const std::vector<std::string>& files);

}  // namespace coffer::audit
