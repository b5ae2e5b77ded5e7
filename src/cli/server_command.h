// `coffer server`: runs the server from a config file, or in dev mode
// (in-memory, initialized, unsealed, root token printed).
#pragma once

#include <string>
#include <vector>

namespace coffer::cli {

// RunServer runs until SIGINT or SIGTERM and returns the process exit code.
int RunServer(const std::vector<std::string>& args);

}  // namespace coffer::cli
