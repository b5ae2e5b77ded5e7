// `coffer operator init|unseal|seal` and `coffer status`.
#pragma once

#include <string>
#include <vector>

namespace coffer::cli {

int RunOperator(const std::vector<std::string>& args);
int RunStatus(const std::vector<std::string>& args);

}  // namespace coffer::cli
