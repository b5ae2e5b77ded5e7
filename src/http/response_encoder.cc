#include "http/response_encoder.h"

#include <nlohmann/json.hpp>

#include "base/compact_json.h"
#include "base/encoded_json.h"

namespace coffer::http {

namespace {

using nlohmann::json;

constexpr char kGenericInternalError[] = "internal error";

// Dump never throws: strings that are not valid UTF-8 (possible in secret
// data) are replaced rather than failing the whole response.
std::string Dump(const json& value) {
  std::string out;
  AppendCompactJson(&out, value);
  return out;
}

// AppendData writes the response's data, splicing in a member the engine
// gave as encoded JSON.
void AppendData(std::string* out, const core::Response& response) {
  if (response.encoded_data_member) {
    AppendObjectWithEncodedMember(out, response.data, response.encoded_data_member->name,
                                  response.encoded_data_member->json, nullptr);
  } else {
    AppendCompactJson(out, response.data);
  }
}

// EnvelopeJson writes Vault's response envelope member by member, in the
// order nlohmann would (sorted keys), so the data is not copied into an
// envelope document first.
std::string EnvelopeJson(const core::Response& response, std::string_view request_id) {
  static const json kNull;
  std::string out = "{\"auth\":";
  AppendCompactJson(&out, response.auth ? *response.auth : kNull);
  out += ",\"data\":";
  AppendData(&out, response);
  out += ",\"lease_duration\":";
  AppendCompactJson(&out, json(response.lease_duration));
  out += ",\"lease_id\":";
  AppendCompactJson(&out, json(response.lease_id));
  out += ",\"mount_type\":\"\",\"renewable\":";
  out += response.renewable ? "true" : "false";
  out += ",\"request_id\":";
  AppendCompactJson(&out, json(request_id));
  out += ",\"warnings\":";
  AppendCompactJson(&out, response.warnings.empty() ? kNull : json(response.warnings));
  out += ",\"wrap_info\":";
  AppendCompactJson(&out, response.wrap_info ? *response.wrap_info : kNull);
  out += '}';
  return out;
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
      AppendData(&out.body, response);
    }
    return out;
  }
  if (response.data.is_null() && !response.encoded_data_member && !response.auth &&
      !response.wrap_info && response.warnings.empty() && response.lease_id.empty()) {
    out.status = 204;
    return out;
  }
  out.body = EnvelopeJson(response, request_id);
  // Some answers carry data with a non-200 status (KV v2's deleted
  // version is a 404 with its metadata).
  out.status = response.http_status;
  return out;
}

}  // namespace coffer::http
