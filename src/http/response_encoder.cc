#include "http/response_encoder.h"

#include <nlohmann/json.hpp>

namespace coffer::http {

namespace {

using nlohmann::json;

constexpr char kGenericInternalError[] = "internal error";

// Dump never throws: strings that are not valid UTF-8 (possible in secret
// data) are replaced rather than failing the whole response.
std::string Dump(const json& value) {
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace

int HttpStatusFor(Code code) {
  switch (code) {
    case Code::kOk:
      return 200;
    case Code::kInvalidArgument:
    case Code::kFailedPrecondition:
      return 400;
    case Code::kPermissionDenied:
      return 403;
    case Code::kNotFound:
      return 404;
    case Code::kUnsupported:
      return 405;
    case Code::kTooLarge:
      return 413;
    case Code::kStandby:
      return 429;
    case Code::kNotInitialized:
      return 501;
    case Code::kSealed:
    case Code::kUnavailable:
      return 503;
    case Code::kInternal:
    case Code::kIOError:
    case Code::kCorruption:
      return 500;
  }
  return 500;
}

bool IsInternalError(Code code) { return HttpStatusFor(code) == 500; }

WireResponse EncodeError(const Status& status) {
  assert(!status.ok());
  WireResponse out;
  out.status = HttpStatusFor(status.code());
  const std::string& message =
      IsInternalError(status.code()) ? std::string(kGenericInternalError) : status.message();
  // Vault answers a bare "not found" with an empty list of errors.
  out.body = Dump(json{{"errors", message.empty() ? json::array() : json::array({message})}});
  return out;
}

WireResponse EncodeResponse(const core::Response& response, std::string_view request_id) {
  WireResponse out;
  if (response.raw) {
    out.status = response.http_status;
    if (out.status == 204 || out.status == 304) {
      return out;  // HTTP forbids a body on these
    }
    if (response.data.is_string()) {
      out.body = response.data.get<std::string>();
      out.content_type = "text/plain; charset=utf-8";
    } else {
      out.body = Dump(response.data);
    }
    return out;
  }
  if (response.data.is_null() && !response.auth && !response.wrap_info &&
      response.warnings.empty() && response.lease_id.empty()) {
    out.status = 204;
    return out;
  }
  json envelope = {
      {"request_id", request_id},
      {"lease_id", response.lease_id},
      {"renewable", response.renewable},
      {"lease_duration", response.lease_duration},
      {"data", response.data},
      {"wrap_info", response.wrap_info ? *response.wrap_info : json(nullptr)},
      {"warnings", response.warnings.empty() ? json(nullptr) : json(response.warnings)},
      {"auth", response.auth ? *response.auth : json(nullptr)},
      {"mount_type", ""},
  };
  out.body = Dump(envelope);
  // Some answers carry data with a non-200 status (KV v2's deleted
  // version is a 404 with its metadata).
  out.status = response.http_status;
  return out;
}

}  // namespace coffer::http
