#include "http/dispatcher.h"

#include <spdlog/spdlog.h>

#include <exception>

#include "http/request_decoder.h"
#include "http/request_id.h"
#include "http/response_encoder.h"

namespace coffer::http {

namespace {

WireResponse EncodeResult(const Result<core::Response>& result, const core::Request& request,
                          const std::string& request_id) {
  if (result.ok()) {
    const core::Response& response = result.value();
    if (response.raw && (response.http_status < 200 || response.http_status > 599)) {
      spdlog::error("request {} ({} {}): handler returned raw status {}", request_id,
                    request.http_method, request.path, response.http_status);
      return EncodeError(Status::Internal("bad raw status"));
    }
    return EncodeResponse(response, request_id);
  }
  const Status& status = result.status();
  if (IsInternalError(status.code())) {
    spdlog::error("request {} ({} {}) failed: {}", request_id, request.http_method, request.path,
                  status.ToString());
  }
  return EncodeError(status);
}

}  // namespace

WireResponse Dispatch(core::RequestHandler& handler, const WireRequest& wire) {
  Result<core::Request> decoded = DecodeRequest(wire);
  if (!decoded.ok()) {
    return EncodeError(decoded.status());
  }
  core::Request& request = decoded.value();
  request.id = NewRequestId();
  const std::string& request_id = request.id;
  try {
    return EncodeResult(handler.Handle(request), request, request_id);
  } catch (const std::exception& e) {
    spdlog::error("request {} ({} {}) threw: {}", request_id, request.http_method, request.path,
                  e.what());
  } catch (...) {
    spdlog::error("request {} ({} {}) threw a non-standard exception", request_id,
                  request.http_method, request.path);
  }
  return EncodeError(Status::Internal("handler exception"));
}

}  // namespace coffer::http
