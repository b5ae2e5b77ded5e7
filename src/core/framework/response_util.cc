#include "core/framework/response_util.h"

namespace coffer::core::framework {

Response JsonResponse(nlohmann::json data) { return Response::Data(std::move(data)); }

Response JsonResponseWithStatus(nlohmann::json data, int http_status) {
  Response response = Response::Data(std::move(data));
  response.http_status = http_status;
  return response;
}

Result<Response> ListResponse(std::vector<std::string> keys) {
  if (keys.empty()) {
    return NotFoundNoMessage();
  }
  return Response::Data({{"keys", std::move(keys)}});
}

Status NotFoundNoMessage() { return Status::NotFound(""); }

}  // namespace coffer::core::framework
