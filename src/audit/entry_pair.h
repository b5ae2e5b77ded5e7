// EntryPair: the request and response entries of one request, written
// together (Broker::LogAsync). Both entries carry the same "auth" and
// "request" members, so they are kept once here and a device hashes and
// serializes them once for both lines.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace coffer::audit {

struct EntryPair {
  nlohmann::json auth;
  nlohmann::json request;
  std::string request_time;
  std::string response_time;
  std::optional<std::string> request_error;
  std::optional<std::string> response_error;
  // The response entry's "response" member; absent for a failed request.
  std::optional<nlohmann::json> response;

  // The two entries as documents, exactly as they would be logged apart.
  nlohmann::json RequestEntry() const;
  nlohmann::json ResponseEntry() const;
};

}  // namespace coffer::audit
