// Weak scalar conversions of JSON values, as Vault's field parsing does with
// mapstructure.WeakDecode over json.Number: a number can stand for a string,
// a string for a number or a bool, a bool for a number or a string.
//
// Every function returns InvalidArgument with the reason only ("cannot parse
// 'abc' as int"); the caller adds the field name.
#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "base/status.h"

namespace coffer::core::framework {

// DescribeValue renders a raw value for an error message: strings as they
// are, anything else as compact JSON.
std::string DescribeValue(const nlohmann::json& raw);

// WeakString: strings as they are, numbers in decimal, bools as "1"/"0"
// (mapstructure's rule). Arrays and objects fail.
Result<std::string> WeakString(const nlohmann::json& raw);

// WeakInt: integers, floats without a fraction, bools (1/0), and strings in
// Go's strconv.ParseInt base-0 syntax ("42", "-7", "0x1f", "0o17", "0b101");
// the empty string is 0.
Result<int64_t> WeakInt(const nlohmann::json& raw);

// WeakBool: bools, and strings or numbers spelled as Go's strconv.ParseBool
// accepts (1, t, T, TRUE, true, True, 0, f, F, FALSE, false, False); the
// empty string is false.
Result<bool> WeakBool(const nlohmann::json& raw);

// WeakDurationSeconds: integers and floats are seconds (a fraction is
// truncated); strings are a number of seconds or a Go duration ("1h30m",
// "10s", "2d"), optionally negative; the empty string is 0. The caller
// decides whether a negative result is allowed.
Result<int64_t> WeakDurationSeconds(const nlohmann::json& raw);

}  // namespace coffer::core::framework
