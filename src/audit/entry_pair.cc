#include "audit/entry_pair.h"

#include "base/encoded_json.h"

namespace coffer::audit {

nlohmann::json RequestMember::ToJson() const {
  return {{"id", id},
          {"operation", operation},
          {"mount_type", mount_type},
          {"mount_accessor", mount_accessor},
          {"client_token", client_token},
          {"client_token_accessor", client_token_accessor},
          {"namespace", {{"id", "root"}}},
          {"path", path},
          {"data", data != nullptr ? *data : nlohmann::json()},
          {"remote_address", remote_address},
          {"wrap_ttl", wrap_ttl}};
}

nlohmann::json ResponseMember::ToJson() const {
  nlohmann::json out = {{"mount_type", mount_type}, {"mount_accessor", mount_accessor}};
  if (data != nullptr) {
    out["data"] = data_member_name.empty()
                      ? *data
                      : WithEncodedMember(*data, data_member_name, data_member_json);
  }
  if (!lease_id.empty()) {
    out["secret"] = {{"lease_id", lease_id}};
  }
  if (auth != nullptr) {
    out["auth"] = *auth;
  }
  if (wrap_info != nullptr) {
    out["wrap_info"] = *wrap_info;
  }
  if (warnings != nullptr && !warnings->empty()) {
    out["warnings"] = *warnings;
  }
  return out;
}

const nlohmann::json& EntryPair::Auth() const {
  static const nlohmann::json kNone;
  return auth ? *auth : kNone;
}

nlohmann::json EntryPair::RequestEntry() const {
  nlohmann::json entry = {{"time", request_time},
                          {"type", "request"},
                          {"auth", Auth()},
                          {"request", request.ToJson()}};
  if (request_error) {
    entry["error"] = *request_error;
  }
  return entry;
}

nlohmann::json EntryPair::ResponseEntry() const {
  nlohmann::json entry = {{"time", response_time},
                          {"type", "response"},
                          {"auth", Auth()},
                          {"request", request.ToJson()}};
  if (response_error) {
    entry["error"] = *response_error;
  }
  if (response) {
    entry["response"] = response->ToJson();
  }
  return entry;
}

}  // namespace coffer::audit
