// Token roles (auth/token/roles/<name>), stored at sys/token/roles/<name>.
#pragma once

#include <string>
#include <vector>

#include "base/status.h"
#include "storage/backend.h"

namespace coffer::core::token_api {

struct TokenRole {
  std::string name;
  std::vector<std::string> allowed_policies;
  std::vector<std::string> disallowed_policies;
  bool orphan = false;
  bool renewable = true;
  int64_t period = 0;
  int64_t explicit_max_ttl = 0;
  int64_t token_ttl = 0;
  std::string path_suffix;
};

Result<TokenRole> LoadRole(storage::Backend& storage, const std::string& name);

}  // namespace coffer::core::token_api
