// TokenReview: how the kubernetes auth method asks the cluster whether a
// service account JWT is valid (Vault's token_review.go). The login never
// checks the JWT's signature itself; the API server does, answering a POST
// of an authentication.k8s.io/v1 TokenReview.
//
// TokenReviewer is the seam: the HTTP implementation talks to the API
// server, tests substitute a fake. Implementations must be thread-safe
// (logins run concurrently) and must never put a JWT in a returned message.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/status.h"

namespace coffer::auth::kubernetes {

// What one review asks. `reviewer_jwt` authorizes the call (the Bearer
// token); `jwt` is the token under review. Both are secrets.
struct TokenReviewRequest {
  std::string host;         // kubernetes_host, "https://host:port[/prefix]"
  std::string ca_cert_pem;  // trusted CAs; empty: the system store
  std::string reviewer_jwt;
  std::string jwt;
  std::vector<std::string> audiences;  // empty: the API server's default
};

// The service account a successful review names.
struct ReviewedServiceAccount {
  std::string name;
  std::string namespace_name;
  std::string uid;
  std::vector<std::string> audiences;
};

class TokenReviewer {
 public:
  virtual ~TokenReviewer() = default;

  // Review asks whether request.jwt is a valid service account token. On
  // success it names the account. Failures:
  //  - PermissionDenied "permission denied": the review says the token is
  //    not authenticated;
  //  - PermissionDenied "lookup failed: ...": the API server refused the
  //    reviewer (401) or answered something unusable (another error status,
  //    a review with an error, a malformed review, a user that is not a
  //    service account);
  //  - InvalidArgument "lookup failed: ...": the host or CA do not make a
  //    usable client;
  //  - Unavailable "lookup failed: ...": no answer (connection, TLS or
  //    timeout error).
  virtual Result<ReviewedServiceAccount> Review(const TokenReviewRequest& request) const = 0;
};

// HttpTokenReviewer posts to {host}/apis/authentication.k8s.io/v1/tokenreviews
// with a fresh connection per review, each step bounded by `timeout`.
class HttpTokenReviewer : public TokenReviewer {
 public:
  explicit HttpTokenReviewer(std::chrono::seconds timeout = std::chrono::seconds(10))
      : timeout_(timeout) {}
  Result<ReviewedServiceAccount> Review(const TokenReviewRequest& request) const override;

 private:
  const std::chrono::seconds timeout_;
};

// The request-target of a review below the host's path prefix.
inline constexpr std::string_view kTokenReviewTarget =
    "/apis/authentication.k8s.io/v1/tokenreviews";

// TokenReviewBody is the JSON body posted for a review of `jwt`.
nlohmann::json TokenReviewBody(const std::string& jwt, const std::vector<std::string>& audiences);

// ParseServiceAccountUsername splits "system:serviceaccount:<ns>:<name>"
// into namespace and name. PermissionDenied "lookup failed: ..." when the
// user is not in that form.
Status ParseServiceAccountUsername(std::string_view username, std::string* namespace_name,
                                   std::string* name);

// ParseTokenReviewResponse reads the API server's answer (`http_status`
// and its JSON body, null if it was not JSON) as Review describes.
Result<ReviewedServiceAccount> ParseTokenReviewResponse(int http_status,
                                                        const nlohmann::json& body);

// SplitHost separates a kubernetes_host into the origin the client dials
// ("https://host:port") and the path prefix to put before the API paths
// ("" or "/prefix", without a trailing slash).
void SplitHost(const std::string& host, std::string* origin, std::string* path_prefix);

}  // namespace coffer::auth::kubernetes
