#include "auth/kubernetes/token_review.h"

#include <utility>

#include "api/client.h"
#include "crypto/secure_buffer.h"

namespace coffer::auth::kubernetes {

namespace {

using nlohmann::json;

// Messages from the API server are echoed to the client; keep them short.
constexpr size_t kMaxEchoedMessage = 256;

Status LookupFailed(std::string detail) {
  return Status::PermissionDenied("lookup failed: " + std::move(detail));
}

std::string Truncated(std::string s) {
  if (s.size() > kMaxEchoedMessage) {
    s.resize(kMaxEchoedMessage);
    s += "...";
  }
  return s;
}

// StringMember is body[key] when it is a string, else "".
std::string StringMember(const json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : "";
}

}  // namespace

json TokenReviewBody(const std::string& jwt, const std::vector<std::string>& audiences) {
  json spec = {{"token", jwt}};
  if (!audiences.empty()) {
    spec["audiences"] = audiences;
  }
  return {{"apiVersion", "authentication.k8s.io/v1"}, {"kind", "TokenReview"}, {"spec", spec}};
}

Status ParseServiceAccountUsername(std::string_view username, std::string* namespace_name,
                                   std::string* name) {
  constexpr std::string_view kPrefix = "system:serviceaccount:";
  if (username.substr(0, kPrefix.size()) != kPrefix) {
    if (username.find(':') == std::string_view::npos) {
      return LookupFailed("unexpected username format");
    }
    return LookupFailed("username returned is not a service account");
  }
  std::string_view rest = username.substr(kPrefix.size());
  const size_t colon = rest.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == rest.size() ||
      rest.find(':', colon + 1) != std::string_view::npos) {
    return LookupFailed("unexpected username format");
  }
  *namespace_name = std::string(rest.substr(0, colon));
  *name = std::string(rest.substr(colon + 1));
  return Status::Ok();
}

Result<ReviewedServiceAccount> ParseTokenReviewResponse(int http_status, const json& body) {
  if (http_status == 401) {
    return LookupFailed(
        "service account unauthorized; this could mean it has been deleted or recreated with a "
        "new token");
  }
  if (http_status < 200 || http_status > 299) {
    std::string detail = "the Kubernetes API server answered HTTP " + std::to_string(http_status);
    if (body.is_object()) {
      std::string message = StringMember(body, "message");
      if (!message.empty()) {
        detail += ": " + Truncated(std::move(message));
      }
    }
    return LookupFailed(std::move(detail));
  }
  if (!body.is_object()) {
    return LookupFailed("malformed TokenReview response");
  }
  auto status_it = body.find("status");
  if (status_it == body.end() || !status_it->is_object()) {
    return LookupFailed("malformed TokenReview response: no status");
  }
  const json& status = *status_it;
  std::string error = StringMember(status, "error");
  if (!error.empty()) {
    return LookupFailed(Truncated(std::move(error)));
  }
  auto authenticated = status.find("authenticated");
  if (authenticated == status.end() || !authenticated->is_boolean() ||
      !authenticated->get<bool>()) {
    return Status::PermissionDenied("permission denied");
  }
  auto user = status.find("user");
  if (user == status.end() || !user->is_object()) {
    return LookupFailed("malformed TokenReview response: no user");
  }
  ReviewedServiceAccount account;
  COFFER_RETURN_IF_ERROR(ParseServiceAccountUsername(StringMember(*user, "username"),
                                                     &account.namespace_name, &account.name));
  account.uid = StringMember(*user, "uid");
  auto audiences = status.find("audiences");
  if (audiences != status.end() && !audiences->is_null()) {
    if (!audiences->is_array()) {
      return LookupFailed("malformed TokenReview response: audiences is not a list");
    }
    for (const json& audience : *audiences) {
      if (!audience.is_string()) {
        return LookupFailed("malformed TokenReview response: audiences is not a list of strings");
      }
      account.audiences.push_back(audience.get<std::string>());
    }
  }
  return account;
}

void SplitHost(const std::string& host, std::string* origin, std::string* path_prefix) {
  const size_t scheme_end = host.find("://");
  const size_t authority_start = scheme_end == std::string::npos ? 0 : scheme_end + 3;
  const size_t path_start = host.find('/', authority_start);
  if (path_start == std::string::npos) {
    *origin = host;
    path_prefix->clear();
    return;
  }
  *origin = host.substr(0, path_start);
  std::string prefix = host.substr(path_start);
  while (!prefix.empty() && prefix.back() == '/') {
    prefix.pop_back();
  }
  *path_prefix = std::move(prefix);
}

Result<ReviewedServiceAccount> HttpTokenReviewer::Review(const TokenReviewRequest& request) const {
  api::ClientConfig config;
  std::string prefix;
  SplitHost(request.host, &config.address, &prefix);
  config.ca_cert_pem = request.ca_cert_pem;
  config.timeout = timeout_;
  Result<std::unique_ptr<api::Client>> client = api::Client::Create(std::move(config));
  if (!client.ok()) {
    return Status::InvalidArgument("lookup failed: bad Kubernetes API server settings: " +
                                   client.status().message());
  }
  std::string body = TokenReviewBody(request.jwt, request.audiences).dump();
  api::Headers headers = {{"Authorization", "Bearer " + request.reviewer_jwt},
                          {"Accept", "application/json"}};
  Result<api::Response> response = (*client)->RequestTarget(
      "POST", prefix + std::string(kTokenReviewTarget), body, headers);
  crypto::Wipe(body.data(), body.size());
  crypto::Wipe(headers[0].second.data(), headers[0].second.size());
  if (!response.ok()) {
    return Status::Unavailable("lookup failed: the Kubernetes API server at " + request.host +
                               " could not be reached: " + response.status().message());
  }
  return ParseTokenReviewResponse(response->status, response->body);
}

}  // namespace coffer::auth::kubernetes
