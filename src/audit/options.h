// Parsing of audit device options, which arrive as strings (Vault's
// sys/audit options map).
#pragma once

#include <chrono>
#include <map>
#include <string>

#include "base/status.h"

namespace coffer::audit {

using Options = std::map<std::string, std::string>;

// InvalidOption is the InvalidArgument for a bad value of option `name`;
// `want` says what is accepted.
Status InvalidOption(const std::string& name, const std::string& value, const char* want);

// OptionString returns options[name], or `fallback` when absent or empty.
std::string OptionString(const Options& options, const std::string& name,
                         const std::string& fallback);

// OptionBool accepts true/false/1/0 (any case); InvalidArgument naming the
// option otherwise.
Result<bool> OptionBool(const Options& options, const std::string& name, bool fallback);

// OptionDuration accepts "2s", "500ms", "1m" or a bare number of seconds.
Result<std::chrono::milliseconds> OptionDuration(const Options& options, const std::string& name,
                                                 std::chrono::milliseconds fallback);

// OptionCount accepts a non-negative decimal integer.
Result<uint64_t> OptionCount(const Options& options, const std::string& name, uint64_t fallback);

}  // namespace coffer::audit
