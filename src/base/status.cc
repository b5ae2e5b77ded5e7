#include "base/status.h"

namespace coffer {

namespace {
const char* CodeName(Code c) {
  switch (c) {
    case Code::kOk: return "OK";
    case Code::kInvalidArgument: return "invalid argument";
    case Code::kPermissionDenied: return "permission denied";
    case Code::kNotFound: return "not found";
    case Code::kUnsupported: return "unsupported operation";
    case Code::kTooLarge: return "too large";
    case Code::kFailedPrecondition: return "failed precondition";
    case Code::kStandby: return "standby";
    case Code::kInternal: return "internal error";
    case Code::kNotInitialized: return "not initialized";
    case Code::kSealed: return "sealed";
    case Code::kUnavailable: return "unavailable";
    case Code::kCorruption: return "corruption";
    case Code::kIOError: return "I/O error";
  }
  return "unknown";
}
}  // namespace

std::string Status::ToString() const {
  if (ok()) {
    return "OK";
  }
  return std::string(CodeName(code_)) + ": " + message_;
}

}  // namespace coffer
