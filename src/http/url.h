// URL pieces the HTTP layer decodes itself: percent-decoding and query
// strings. Pure functions over untrusted input; they never throw.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "base/encoding.h"

namespace coffer::http {

// base/encoding.h's, which the HTTP layer decodes paths and queries with.
using ::coffer::PercentDecode;

// ParseQuery decodes "a=1&b=x%20y" into {a: "1", b: "x y"}. A key without
// '=' maps to "". When a key repeats the first value wins, as Go's
// url.Values.Get (and so Vault) does. Returns nullopt when any piece fails
// PercentDecode.
std::optional<std::map<std::string, std::string>> ParseQuery(std::string_view query);

// ParseBool accepts the spellings of Go's strconv.ParseBool, which Vault uses
// for flags such as ?list=: 1 t T TRUE true True, 0 f F FALSE false False.
std::optional<bool> ParseBool(std::string_view text);

}  // namespace coffer::http
