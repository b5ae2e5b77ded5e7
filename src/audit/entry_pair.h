// EntryPair: the request and response entries of one request. Both entries
// carry the same "auth" and "request" members, so they are kept once here
// and a device hashes and serializes them once for both lines.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace coffer::audit {

// Which entries of a pair to write: the write-ahead path writes the request
// entry before the operation and the response entry after it; a refusal or
// a deferred read writes both at once.
enum class PairPart { kRequest, kResponse, kBoth };

struct EntryPair {
  // The "auth" member (null when absent). Never modified once handed to the
  // broker. When `auth_shared` is set, the caller hands the same object in
  // again for later requests of the same token while its content is
  // unchanged, so a device may cache what it derives from it (its hashed
  // and serialized form), keyed by the object's identity.
  std::shared_ptr<const nlohmann::json> auth;
  bool auth_shared = false;
  nlohmann::json request;
  std::string request_time;
  std::string response_time;
  std::optional<std::string> request_error;
  std::optional<std::string> response_error;
  // The response entry's "response" member; absent for a failed request.
  std::optional<nlohmann::json> response;
  // The response member's "data", when it has one and it is kept apart
  // from `response` (which then has no "data"): borrowed from the
  // response the client gets, so it is not copied. It is only read while
  // Broker::Log / LogAsync prepare the lines, which both finish before
  // they hand anything to a device; the caller keeps it alive until then.
  const nlohmann::json* response_data = nullptr;

  const nlohmann::json& Auth() const;
  // The two entries as documents, exactly as they would be logged apart.
  nlohmann::json RequestEntry() const;
  nlohmann::json ResponseEntry() const;
};

}  // namespace coffer::audit
