// Time as text, the way Vault (Go) prints it, so clients that parse Vault's
// responses and audit logs parse ours.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace coffer {

// UnixNanos is a time point as nanoseconds since the Unix epoch.
int64_t UnixNanos(std::chrono::system_clock::time_point t);

// FormatRfc3339Nano renders nanoseconds since the epoch in UTC as Go's
// time.RFC3339Nano: "2018-03-22T02:24:06.945319214Z", trailing zeros of the
// fraction dropped (and the dot when the fraction is zero).
std::string FormatRfc3339Nano(int64_t unix_nanos);

}  // namespace coffer
