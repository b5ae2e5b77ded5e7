// `coffer login [TOKEN]`: authenticates with a token (vault's token auth
// method), checks it with auth/token/lookup-self and stores it in the
// token helper file ~/.vault-token, which later commands read.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/status.h"

namespace coffer::cli {

int RunLogin(const std::vector<std::string>& args);

// LoginSecret turns a lookup-self answer into the auth response vault's
// token login prints (token, token_accessor, token_duration, ...).
nlohmann::json LoginSecret(const std::string& token, const nlohmann::json& lookup);

// StoreToken writes `token` to `path`, readable by its owner only (0600).
Status StoreToken(const std::string& path, const std::string& token);

}  // namespace coffer::cli
