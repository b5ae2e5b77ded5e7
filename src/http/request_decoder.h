// Decoding of a wire request into the logical core::Request: the /v1/
// prefix, the operation for the verb, token headers, query and JSON body.
#pragma once

#include "base/status.h"
#include "core/request.h"
#include "http/wire.h"

namespace coffer::http {

// DecodeRequest maps `wire` onto a core::Request. Failures carry the code the
// client should see and a message safe to show it:
//   NotFound         the target is not under /v1/
//   Unsupported      a method the API does not have (405)
//   InvalidArgument  a malformed path, query, ?list= value or JSON body
Result<core::Request> DecodeRequest(const WireRequest& wire);

// MaxJsonDepth is the deepest nesting of arrays and objects accepted in a
// body; deeper input is refused before parsing so that nothing downstream
// (dump, audit hashing) recurses without bound on attacker input.
inline constexpr size_t kMaxJsonDepth = 128;

}  // namespace coffer::http
