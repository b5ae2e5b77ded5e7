// Clock: the one source of time, injected so tests control it.
// Implementations must be thread-safe.
#pragma once

#include <chrono>
#include <cstdint>

namespace coffer {

class Clock {
 public:
  virtual ~Clock() = default;
  // Now returns wall-clock time (used for timestamps shown to users).
  virtual std::chrono::system_clock::time_point Now() const = 0;

  // Real returns the process-wide real clock; it lives for the whole program.
  static const Clock& Real();
};

}  // namespace coffer
