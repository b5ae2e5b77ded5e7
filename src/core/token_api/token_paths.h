// auth/token/: the token store's API, one group of paths per file.
#pragma once

#include <vector>

#include <nlohmann/json.hpp>

#include "core/framework/path.h"
#include "core/token_store.h"

namespace coffer::core {
class Core;
}

namespace coffer::core::token_api {

std::vector<framework::PathSpec> CreatePaths(Core& core);
std::vector<framework::PathSpec> LookupPaths(Core& core);
std::vector<framework::PathSpec> RenewRevokePaths(Core& core);
std::vector<framework::PathSpec> RolePaths(Core& core);

// Shared by the groups above.
Result<TokenEntry> Caller(Core& core, const EngineRequest& request);
nlohmann::json LookupData(const TokenEntry& entry, const std::string& id, int64_t now);
nlohmann::json AuthBlock(const std::string& token, const TokenEntry& entry);
int64_t NowUnix(Core& core);

}  // namespace coffer::core::token_api
