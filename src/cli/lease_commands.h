// `coffer lease lookup|renew|revoke`, the vault CLI's lease verbs, over
// sys/leases/*.
#pragma once

#include <string>
#include <vector>

namespace coffer::cli {

int RunLease(const std::vector<std::string>& args);

}  // namespace coffer::cli
