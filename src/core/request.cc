#include "core/request.h"

namespace coffer::core {

const char* OperationName(Operation op) {
  switch (op) {
    case Operation::kRead: return "read";
    case Operation::kCreate: return "create";
    case Operation::kUpdate: return "update";
    case Operation::kPatch: return "patch";
    case Operation::kDelete: return "delete";
    case Operation::kList: return "list";
    case Operation::kHelp: return "help";
  }
  return "unknown";
}

}  // namespace coffer::core
