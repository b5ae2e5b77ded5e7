// Reading a service account JWT's claims without checking its signature.
// The login uses them only for early refusals and to cross-check the
// TokenReview's answer; the API server's review is what authenticates.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "base/status.h"

namespace coffer::auth::kubernetes {

// Longer JWTs are refused before decoding (real ones are a few KiB).
inline constexpr size_t kMaxJwtLength = 64 * 1024;

// The service account a JWT claims to be, from the legacy secret-based
// claims ("kubernetes.io/serviceaccount/namespace", ".../service-account.name",
// ".../service-account.uid") or the projected ones ("kubernetes.io":
// {"namespace", "serviceaccount": {"name", "uid"}}). Claims the token does
// not carry are nullopt.
struct ServiceAccountClaims {
  std::optional<std::string> name;
  std::optional<std::string> namespace_name;
  std::optional<std::string> uid;
};

// ParseUnverifiedClaims decodes the payload of a compact JWS
// ("header.payload.signature", base64url). InvalidArgument "failed to parse
// JWT: ..." when it is not one or its payload is not a JSON object. The
// message never contains the token.
Result<ServiceAccountClaims> ParseUnverifiedClaims(std::string_view jwt);

// Base64UrlDecode accepts base64url with or without padding; nullopt when
// malformed.
std::optional<std::string> Base64UrlDecode(std::string_view in);

}  // namespace coffer::auth::kubernetes
