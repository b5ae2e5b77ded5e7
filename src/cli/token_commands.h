// `coffer token create|lookup|renew|revoke|capabilities`, the vault CLI's
// token verbs, over auth/token/* and sys/capabilities*.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/status.h"
#include "cli/flags.h"

namespace coffer::cli {

int RunToken(const std::vector<std::string>& args);

// TokenCreateBody builds the auth/token/create request from the flags of
// `token create`; InvalidArgument for a malformed duration, number or
// -metadata pair.
Result<nlohmann::json> TokenCreateBody(const ParsedFlags& flags);

}  // namespace coffer::cli
