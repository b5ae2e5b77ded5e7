// The hash chain of one audit device. Every line carries the SHA-256 of
// the line before it, so removing, editing or reordering a line breaks
// the chain at a point `coffer audit verify` can name. Checkpoint lines
// carry an HMAC of the chain head under a key derived from the master
// key: someone who rewrites the whole tail of a log cannot forge them.
//
// Not thread-safe: one device writer thread owns its Chain.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "audit/line_format.h"
#include "base/status.h"
#include "crypto/secure_buffer.h"

namespace coffer::audit {

class Chain {
 public:
  // `checkpoint_key` HMACs checkpoint lines (may be empty: no checkpoints).
  Chain(Format format, std::string prefix, crypto::SecureBuffer checkpoint_key);

  // Resume continues after `last_line` (the last line at the destination,
  // one trailing '\n' ignored), when it is a chained line; otherwise returns
  // false, changes nothing, and the chain must Start. The next line gets
  // seq+1 and prev = SHA-256(last_line).
  bool Resume(std::string_view last_line);

  // Start begins a new chain with a random genesis value and returns the
  // genesis line (seq 0, prev = the genesis value; members type "genesis",
  // time, device = `device_path`, genesis). Fails only if the CSPRNG does,
  // and then leaves the chain as it was.
  Result<std::string> Start(std::string_view device_path, int64_t unix_nanos);

  // Link chains one formatted entry body (from FormatEntry, in this chain's
  // format) and returns the full line (prefix included, no '\n'). The chain
  // must have been Started or Resumed.
  std::string Link(std::string_view body);
  // LinkInto is Link appending the line to `*out` (a batch of lines)
  // rather than returning it, so the line is not copied again.
  void LinkInto(std::string* out, std::string_view body);

  // Checkpoint returns a checkpoint line, linked like any other: type
  // "checkpoint", time, and "hmac": hex HMAC-SHA256(key,
  // CheckpointMessage(seq, prev)) where seq and prev are the ones this line
  // itself carries. Call only when has_checkpoint_key() (an empty key would
  // MAC with the empty key, which proves nothing).
  std::string Checkpoint(int64_t unix_nanos);

  uint64_t next_seq() const { return next_seq_; }
  bool started() const { return started_; }
  bool has_checkpoint_key() const { return !checkpoint_key_.empty(); }

 private:
  std::string Append(std::string_view body);

  Format format_;
  std::string prefix_;
  crypto::SecureBuffer checkpoint_key_;
  bool started_ = false;
  uint64_t next_seq_ = 0;
  std::string prev_hex_;
};

// CheckpointMessage is what a checkpoint's HMAC covers: the chain head as
// it stood at the checkpoint (its own seq and prev).
std::string CheckpointMessage(uint64_t seq, std::string_view prev_hex);

}  // namespace coffer::audit
