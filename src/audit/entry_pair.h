// EntryPair: the request and response entries of one request. Both entries
// carry the same "auth" and "request" members, so they are kept once here
// and a device hashes and serializes them once for both lines.
//
// The members are kept as their parts rather than as documents: a device
// writes them straight into its lines (entry_writer.h), so a request costs
// no document to build, copy per device and destroy. What is large (the
// request's and the response's data, a login's auth block) is borrowed,
// not copied: see the pointers below.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace coffer::audit {

// Which entries of a pair to write: the write-ahead path writes the request
// entry before the operation and the response entry after it; a refusal or
// a deferred read writes both at once.
enum class PairPart { kRequest, kResponse, kBoth };

// The "request" member of Vault's audit shape.
struct RequestMember {
  std::string id;
  std::string operation;
  std::string mount_type;
  std::string mount_accessor;
  std::string client_token;
  std::string client_token_accessor;
  std::string path;
  // Borrowed from the request (see EntryPair); null writes "data":null.
  const nlohmann::json* data = nullptr;
  std::string remote_address;
  int64_t wrap_ttl = 0;

  // ToJson is the member as a document (for JSONx and for tests).
  nlohmann::json ToJson() const;
};

// The "response" member of a request that reached its engine.
struct ResponseMember {
  std::string mount_type;
  std::string mount_accessor;
  std::string lease_id;  // empty: no "secret" member
  // Borrowed from the response (see EntryPair); null when absent.
  const nlohmann::json* auth = nullptr;
  const nlohmann::json* wrap_info = nullptr;
  const nlohmann::json* data = nullptr;
  // A member of `data` given as encoded JSON (base/encoded_json.h), when
  // `data_member_name` is not empty; `data` is then set too.
  std::string_view data_member_name;
  std::string_view data_member_json;
  const std::vector<std::string>* warnings = nullptr;  // null or empty: none

  nlohmann::json ToJson() const;
};

struct EntryPair {
  // The "auth" member (null when absent). Never modified once handed to the
  // broker. When `auth_shared` is set, the caller hands the same object in
  // again for later requests of the same token while its content is
  // unchanged, so a device may cache what it derives from it (its hashed
  // and serialized form), keyed by the object's identity.
  std::shared_ptr<const nlohmann::json> auth;
  bool auth_shared = false;
  RequestMember request;
  std::string request_time;
  std::string response_time;
  std::optional<std::string> request_error;
  std::optional<std::string> response_error;
  // The response entry's "response" member; absent for a failed request.
  std::optional<ResponseMember> response;
  // The borrowed documents (request.data, response's data, auth and
  // wrap_info, its warnings) are only read while Broker::Log / LogAsync
  // prepare the lines, which both finish before they hand anything to a
  // device; the caller keeps them alive until then.

  const nlohmann::json& Auth() const;
  // The two entries as documents, exactly as they would be logged apart.
  nlohmann::json RequestEntry() const;
  nlohmann::json ResponseEntry() const;
};

}  // namespace coffer::audit
