#include "audit/entry_pair.h"

namespace coffer::audit {

const nlohmann::json& EntryPair::Auth() const {
  static const nlohmann::json kNone;
  return auth ? *auth : kNone;
}

nlohmann::json EntryPair::RequestEntry() const {
  nlohmann::json entry = {
      {"time", request_time}, {"type", "request"}, {"auth", Auth()}, {"request", request}};
  if (request_error) {
    entry["error"] = *request_error;
  }
  return entry;
}

nlohmann::json EntryPair::ResponseEntry() const {
  nlohmann::json entry = {
      {"time", response_time}, {"type", "response"}, {"auth", Auth()}, {"request", request}};
  if (response_error) {
    entry["error"] = *response_error;
  }
  if (response) {
    entry["response"] = *response;
    if (response_data != nullptr) {
      entry["response"]["data"] = *response_data;
    }
  }
  return entry;
}

}  // namespace coffer::audit
