// audit::Sink: where a device's lines go (a file, syslog, a socket). A sink
// only moves bytes; the device above it formats, hashes and chains entries
// and runs the single writer thread that calls it.
//
// Implementations must guarantee:
//  - Write either delivers all of `lines` (each ending in '\n') or returns
//    a non-OK Status; a short write is an error, never silently dropped.
//  - Write returns within the sink's write timeout (sockets) even when the
//    peer stops reading; a sink never blocks forever.
//  - When Write returns OK the lines are as durable as the sink's
//    durability promises (file: fdatasync'ed unless durability = "write").
//  - Calls come from one thread at a time (the device's writer); a sink
//    needs no locking of its own.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "base/status.h"

namespace coffer::audit {

class Sink {
 public:
  virtual ~Sink() = default;

  // Open connects or opens the destination. Called once before the first
  // Write; a failure here makes enabling the device fail.
  virtual Status Open() = 0;

  // Write appends `lines` (one or more complete lines) and, per the sink's
  // durability, makes them durable before returning. One call per batch:
  // group commit means many entries share one write and one sync.
  virtual Status Write(std::string_view lines) = 0;

  // Reopen closes and opens the destination again (SIGHUP, for logrotate:
  // a file sink opens its path anew, creating it if it was moved away). A
  // sink that failed reconnects here too.
  virtual Status Reopen() = 0;

  // LastLine is the last complete line already at the destination (without
  // its '\n'), so a device's hash chain continues across a restart. Only
  // file sinks can answer; the others return nullopt.
  virtual std::optional<std::string> LastLine() { return std::nullopt; }
};

// CreateSink builds a sink of `type` ("file", "syslog", "socket") from the
// device's options (Vault's names: file_path, mode, facility, tag,
// address, socket_type, write_timeout, and coffer's durability). It checks
// the options but does not open anything. InvalidArgument for an unknown
// type or a bad option, with a message naming the option.
Result<std::unique_ptr<Sink>> CreateSink(const std::string& type,
                                         const std::map<std::string, std::string>& options);

}  // namespace coffer::audit
