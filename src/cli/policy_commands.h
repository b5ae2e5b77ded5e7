// `coffer policy write|read|list|delete|fmt`: ACL policies through
// sys/policies/acl, and formatting a policy file in place.
#pragma once

#include <string>
#include <vector>

namespace coffer::cli {

int RunPolicy(const std::vector<std::string>& args);

}  // namespace coffer::cli
