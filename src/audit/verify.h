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
  // On failure: where the first problem is and what it is, one of
  //   "line P was edited: its SHA-256 does not match the prev recorded by
  //    line P+1" (or "by line 1 of <next file>"), naming the edited line P;
  //   "line N: entries E..S-1 are missing: lines were removed before line N"
  //    ("entry E is missing" for one), naming the line after the gap;
  //   "line N is out of order (seq S, expected E): lines were reordered";
  //   "line N is not a chained audit entry (edited or corrupted)" (or
  //    "line N is empty: not a ...");
  //   "line N was edited: a genesis line whose prev does not match its
  //    genesis value".
  std::string file;
  uint64_t line = 0;  // 1-based line number within `file`
  std::string problem;
  uint64_t entries = 0;  // lines verified (before the first problem, if any)
  uint64_t chains = 0;   // genesis lines seen (a restart with a new file starts one)
  std::vector<CheckpointSeen> checkpoints;  // in order; their HMACs are not checked here
};

// VerifyFiles reads `files` in order as one stream of lines and checks
// that each line's prev is the SHA-256 of the line before it and that seq
// grows by one. It names the first line that was edited (its hash does not
// match its successor's prev), removed (a seq is skipped) or reordered (a
// skipped seq turns up within the next 64 lines, or a seq comes back).
//
// A genesis line (type "genesis", seq 0) is checked against itself (prev
// == its genesis value). After the first line of the stream it is a
// problem unless `allow_new_chains`: a server that started on an empty or
// missing file begins a new chain there, but so would someone who cut the
// end of one log and glued another behind it, and files given in the wrong
// order. Checkpoints pin the chain head further: their HMACs are collected
// in the report for whoever holds the key to check. The first line of the
// stream may also be a mid-chain line (older rotated files deleted); it is
// taken as the starting point. Lines are split on '\n'; the empty string
// after a file's final '\n' is not a line, any other empty line is a
// problem. Files are streamed, not loaded whole.
//
// A file that cannot be opened or read is an IOError naming it (every file
// is opened before any line is checked); a broken chain is a report with
// ok = false.
struct VerifyOptions {
  bool allow_new_chains = false;
};
Result<VerifyReport> VerifyFiles(const std::vector<std::string>& files,
                                 const VerifyOptions& options = {});

}  // namespace coffer::audit
