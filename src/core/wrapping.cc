// Response wrapping: a response stored behind a single-use token whose only
// power is to be unwrapped (or looked up, or rewrapped).
//
//   sys/wrapping/response/<token id hex>   {"response": ..., "creation_path",
//                                           "creation_time", "ttl"}
#include <chrono>
#include <mutex>

#include "core/core.h"
#include "core/framework/time_format.h"

namespace coffer::core {

namespace {

using nlohmann::json;

constexpr std::string_view kWrappedPrefix = "sys/wrapping/response/";
constexpr std::string_view kWrappingPolicy = "response-wrapping";

std::string Rfc3339(int64_t unix_seconds) {
  return framework::FormatRfc3339Nano(unix_seconds * 1'000'000'000);
}

json ResponseToJson(const Response& r) {
  json j = {{"data", r.WholeData()},
            {"lease_id", r.lease_id},
            {"renewable", r.renewable},
            {"lease_duration", r.lease_duration}};
  j["auth"] = r.auth ? *r.auth : json();
  j["warnings"] = r.warnings.empty() ? json() : json(r.warnings);
  return j;
}

Response ResponseFromJson(const json& j) {
  Response r;
  r.data = j.value("data", json());
  r.lease_id = j.value("lease_id", "");
  r.renewable = j.value("renewable", false);
  r.lease_duration = j.value("lease_duration", int64_t{0});
  if (j.contains("auth") && !j["auth"].is_null()) {
    r.auth = j["auth"];
  }
  if (j.contains("warnings") && j["warnings"].is_array()) {
    for (const auto& w : j["warnings"]) {
      if (w.is_string()) {
        r.warnings.push_back(w.get<std::string>());
      }
    }
  }
  return r;
}

std::string WrappedKey(const TokenEntry& token) {
  return std::string(kWrappedPrefix) + token.id_key.substr(token.id_key.rfind('/') + 1);
}

bool IsWrappingToken(const TokenEntry& token) {
  return token.policies.size() == 1 && token.policies[0] == kWrappingPolicy;
}

// One lock for every unwrap: "read then destroy" must happen once per token.
std::mutex& UnwrapMutex() {
  static std::mutex mu;
  return mu;
}

}  // namespace

Result<Response> Core::WrapResponse(const Response& response, int64_t ttl,
                                    const std::string& creation_path) {
  TokenCreateRequest req;
  req.policies = {std::string(kWrappingPolicy)};
  req.ttl = ttl;
  req.renewable = false;
  req.display_name = "response-wrapping";
  req.path = creation_path;
  COFFER_ASSIGN_OR_RETURN(TokenStore::Created wrapping, tokens_.Prepare(req));
  json stored = {{"response", ResponseToJson(response)},
                 {"creation_path", creation_path},
                 {"creation_time", wrapping.entry.creation_time},
                 {"ttl", ttl}};
  std::vector<storage::TxnOp> ops = std::move(wrapping.ops);
  ops.push_back(storage::TxnOp::Put(WrappedKey(wrapping.entry), stored.dump()));
  COFFER_RETURN_IF_ERROR(barrier_.Transaction(ops));

  Response wrapped;
  json info = {{"token", wrapping.token},
               {"accessor", wrapping.entry.accessor},
               {"ttl", ttl},
               {"creation_time", Rfc3339(wrapping.entry.creation_time)},
               {"creation_path", creation_path}};
  if (response.auth && response.auth->contains("accessor")) {
    info["wrapped_accessor"] = (*response.auth)["accessor"];
  }
  wrapped.wrap_info = info;
  return wrapped;
}

Result<Response> Core::Unwrap(const std::string& wrapping_token) {
  std::lock_guard lock(UnwrapMutex());
  auto looked_up = tokens_.Lookup(wrapping_token);
  if (!looked_up.ok() && looked_up.status().code() != Code::kPermissionDenied) {
    return looked_up.status();
  }
  // Vault's answer for an unknown, used or expired wrapping token: a 400.
  if (!looked_up.ok() || !IsWrappingToken(*looked_up)) {
    return Status::InvalidArgument("wrapping token is not valid or does not exist");
  }
  const TokenEntry& token = *looked_up;
  auto stored = barrier_.Get(WrappedKey(token));
  if (!stored.ok()) {
    if (stored.status().IsNotFound()) {
      return Status::InvalidArgument("wrapping token is not valid or does not exist");
    }
    return stored.status();
  }
  // Destroy before answering: a second unwrap must fail even if this
  // response is lost on the way to the client.
  COFFER_RETURN_IF_ERROR(barrier_.Delete(WrappedKey(token)));
  COFFER_RETURN_IF_ERROR(tokens_.Revoke(token.id_key));
  json j = json::parse(*stored, nullptr, false);
  if (!j.is_object() || !j["response"].is_object()) {
    return Status::Corruption("stored wrapped response is malformed");
  }
  return ResponseFromJson(j["response"]);
}

Result<json> Core::WrapLookup(const std::string& wrapping_token) {
  auto token = tokens_.Lookup(wrapping_token);
  if (!token.ok() || !IsWrappingToken(*token)) {
    return Status::InvalidArgument("wrapping token is not valid or does not exist");
  }
  COFFER_ASSIGN_OR_RETURN(std::string stored, barrier_.Get(WrappedKey(*token)));
  json j = json::parse(stored, nullptr, false);
  if (!j.is_object()) {
    return Status::Corruption("stored wrapped response is malformed");
  }
  return json{{"creation_path", j.value("creation_path", "")},
              {"creation_time", Rfc3339(j.value("creation_time", int64_t{0}))},
              {"creation_ttl", j.value("ttl", int64_t{0})}};
}

Result<Response> Core::HandleWrapping(const Request& request, bool* handled,
                                      AuditRecord* record) {
  *handled = false;
  const std::string& p = request.path;
  if (p != "sys/wrapping/unwrap" && p != "sys/wrapping/lookup" && p != "sys/wrapping/rewrap") {
    return Response::NoContent();
  }
  *handled = true;
  if (request.operation != Operation::kUpdate &&
      !(p == "sys/wrapping/lookup" && request.operation == Operation::kRead)) {
    return Status::Unsupported("unsupported operation");
  }
  std::string body_token;
  if (request.data.is_object() && request.data.contains("token")) {
    if (!request.data["token"].is_string()) {
      return Status::InvalidArgument("\"token\" must be a string");
    }
    body_token = request.data["token"].get<std::string>();
  }
  if (body_token.empty() && request.query.count("token") != 0) {
    body_token = request.query.at("token");
  }
  if (!body_token.empty() && p != "sys/wrapping/lookup") {
    // Unwrapping someone else's token needs a valid token of one's own
    // (Vault's default policy grants these paths).
    COFFER_ASSIGN_OR_RETURN(TokenEntry caller, tokens_.Use(request.client_token, request.remote_address));
    if (record != nullptr) {
      record->SetToken(caller, NowUnix(), &audit_auth_);
    }
    if (!IsWrappingToken(caller)) {
      COFFER_ASSIGN_OR_RETURN(auto acl, policies_.AclFor(caller.policies));
      COFFER_RETURN_IF_ERROR(acl->Allows(Operation::kUpdate, p, request.data, false));
    }
  }
  const std::string wrapping_token = body_token.empty() ? request.client_token : body_token;
  if (wrapping_token.empty()) {
    return Status::InvalidArgument("missing wrapping token");
  }
  if (record != nullptr) {
    record->SetMount("system", "");
  }
  COFFER_RETURN_IF_ERROR(LogRequest(record));
  if (p == "sys/wrapping/lookup") {
    COFFER_ASSIGN_OR_RETURN(json info, WrapLookup(wrapping_token));
    return Response::Data(std::move(info));
  }
  if (p == "sys/wrapping/unwrap") {
    COFFER_ASSIGN_OR_RETURN(Response original, Unwrap(wrapping_token));
    if (original.data.is_null() && !original.auth) {
      return Response::NoContent();
    }
    return original;
  }
  // rewrap: a new wrapping token for the same response, the old one gone.
  COFFER_ASSIGN_OR_RETURN(json info, WrapLookup(wrapping_token));
  COFFER_ASSIGN_OR_RETURN(Response original, Unwrap(wrapping_token));
  return WrapResponse(original, info.value("creation_ttl", int64_t{300}),
                      info.value("creation_path", std::string("sys/wrapping/rewrap")));
}

}  // namespace coffer::core
