// The vault CLI's generic verbs, which work on any path of any engine:
// `coffer read`, `write`, `list`, `delete` and `unwrap`.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace coffer::cli {

int RunRead(const std::vector<std::string>& args);
int RunWrite(const std::vector<std::string>& args);
int RunList(const std::vector<std::string>& args);
int RunDelete(const std::vector<std::string>& args);
int RunUnwrap(const std::vector<std::string>& args);

// QueryString renders key=value data as a URL query ("?a=1&b=x%20y"), a
// list value as its key repeated; "" for no data.
std::string QueryString(const nlohmann::json& data);

}  // namespace coffer::cli
