// Help text for ?help requests, laid out as Vault's (a synopsis, the
// parameters with their types, then the description).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/framework/path.h"

namespace coffer::core::framework {

// PathHelp renders the help of one path for a request to `request_path`.
// `route` is the anchored pattern that matched.
std::string PathHelp(std::string_view request_path, std::string_view route,
                     const PathSpec& spec);

// EngineHelp renders the engine-wide help: its description, then each
// path's pattern and synopsis.
std::string EngineHelp(std::string_view description,
                       const std::vector<std::pair<std::string, std::string>>& routes);

}  // namespace coffer::core::framework
