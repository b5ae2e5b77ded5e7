// sys/health's status-code selection, as Vault documents it: a pure
// function of the node's state and the request's query options.
#pragma once

#include <map>
#include <string>

#include "base/status.h"

namespace coffer::core {

struct NodeState {
  bool initialized = false;
  bool sealed = true;
  bool standby = false;
  bool performance_standby = false;
  bool dr_secondary = false;
};

// HealthStatusCode returns the HTTP status for sys/health. Query options:
// standbyok, perfstandbyok (bool); activecode, standbycode, drsecondarycode,
// performancestandbycode, sealedcode, uninitcode (integer status codes).
// InvalidArgument for an option that does not parse.
Result<int> HealthStatusCode(const NodeState& state,
                             const std::map<std::string, std::string>& query);

}  // namespace coffer::core
