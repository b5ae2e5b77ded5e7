// `coffer audit verify`: offline check of the hash chain of audit log
// files (no server needed). See audit/verify.h for what is checked.
#pragma once

#include <string>
#include <vector>

namespace coffer::cli {

// RunAudit runs `coffer audit <subcommand>`. For verify: exit 0 when the
// chain is intact, 1 when it is broken, 2 for a usage error or a file that
// cannot be read.
int RunAudit(const std::vector<std::string>& args);

}  // namespace coffer::cli
