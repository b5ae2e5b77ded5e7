// Response shapes engines share, matching what Vault's HTTP layer sends.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/status.h"
#include "core/request.h"

namespace coffer::core::framework {

// JsonResponse wraps `data` (an object) as the envelope's "data".
Response JsonResponse(nlohmann::json data);

// JsonResponseWithStatus is JsonResponse sent with another HTTP status, for
// Vault's answers that carry data with an error status (KV v2 reading a
// deleted version: 404 with its metadata). The envelope is kept.
Response JsonResponseWithStatus(nlohmann::json data, int http_status);

// ListResponse is {"keys": [...]}. Vault answers a LIST that finds nothing
// with 404 and no message, so an empty `keys` yields NotFoundNoMessage().
Result<Response> ListResponse(std::vector<std::string> keys);

// NotFoundNoMessage is Vault's 404 for a read of nothing: its body is
// {"errors": []}, so the status carries an empty message.
Status NotFoundNoMessage();

}  // namespace coffer::core::framework
