// Time and duration text as Vault (Go) prints them, so clients that parse
// Vault's responses parse ours.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace coffer::core::framework {

// UnixNanos is a time point as nanoseconds since the Unix epoch, the form
// engines store times in.
int64_t UnixNanos(std::chrono::system_clock::time_point t);

// FormatRfc3339Nano renders nanoseconds since the epoch in UTC as Go's
// time.RFC3339Nano: "2018-03-22T02:24:06.945319214Z", trailing zeros of the
// fraction dropped (and the dot when the fraction is zero).
std::string FormatRfc3339Nano(int64_t unix_nanos);

// FormatGoDuration renders whole seconds as Go's time.Duration.String():
// "0s", "45s", "1m30s", "1h0m0s", "-1s".
std::string FormatGoDuration(int64_t seconds);

}  // namespace coffer::core::framework
