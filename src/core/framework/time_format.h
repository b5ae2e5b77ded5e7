// Time and duration text as Vault (Go) prints them, so clients that parse
// Vault's responses parse ours.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "base/time_format.h"

namespace coffer::core::framework {

// Engines store times as UnixNanos and show them as FormatRfc3339Nano (both
// in base/, which the audit log shares).
using ::coffer::FormatRfc3339Nano;
using ::coffer::UnixNanos;

// FormatGoDuration renders whole seconds as Go's time.Duration.String():
// "0s", "45s", "1m30s", "1h0m0s", "-1s".
std::string FormatGoDuration(int64_t seconds);

}  // namespace coffer::core::framework
