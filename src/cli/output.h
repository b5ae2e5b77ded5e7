// How the CLI prints results: aligned "Key / Value" tables by default,
// JSON with -format=json, and a single value with -field=NAME.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace coffer::cli {

using Rows = std::vector<std::pair<std::string, std::string>>;

// FormatTable renders rows under a "Key  Value" header, as vault does.
std::string FormatTable(const Rows& rows);

// FormatValue renders a JSON value for a table cell (strings unquoted).
std::string FormatValue(const nlohmann::json& value);

}  // namespace coffer::cli
