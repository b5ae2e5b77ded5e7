#include "auth/kubernetes/jwt_claims.h"

#include <nlohmann/json.hpp>

#include "base/encoding.h"

namespace coffer::auth::kubernetes {

namespace {

using nlohmann::json;

Status ParseError(const char* why) {
  return Status::InvalidArgument(std::string("failed to parse JWT: ") + why);
}

// StringAt is object[key] when it is a string.
std::optional<std::string> StringAt(const json& object, const char* key) {
  if (!object.is_object()) {
    return std::nullopt;
  }
  auto it = object.find(key);
  if (it == object.end() || !it->is_string()) {
    return std::nullopt;
  }
  return it->get<std::string>();
}

}  // namespace

std::optional<std::string> Base64UrlDecode(std::string_view in) {
  std::string standard;
  standard.reserve(in.size() + 3);
  for (char c : in) {
    if (c == '-') {
      standard.push_back('+');
    } else if (c == '_') {
      standard.push_back('/');
    } else if (c == '+' || c == '/') {
      return std::nullopt;
    } else {
      standard.push_back(c);
    }
  }
  if (standard.size() % 4 == 1) {
    return std::nullopt;
  }
  while (standard.size() % 4 != 0) {
    standard.push_back('=');
  }
  return Base64Decode(standard);
}

Result<ServiceAccountClaims> ParseUnverifiedClaims(std::string_view jwt) {
  if (jwt.size() > kMaxJwtLength) {
    return ParseError("token is too long");
  }
  const size_t first = jwt.find('.');
  if (first == std::string_view::npos) {
    return ParseError("not a compact JWS");
  }
  const size_t second = jwt.find('.', first + 1);
  if (second == std::string_view::npos || jwt.find('.', second + 1) != std::string_view::npos) {
    return ParseError("not a compact JWS");
  }
  std::optional<std::string> payload = Base64UrlDecode(jwt.substr(first + 1, second - first - 1));
  if (!payload) {
    return ParseError("payload is not base64url");
  }
  json claims = json::parse(*payload, nullptr, /*allow_exceptions=*/false);
  if (!claims.is_object()) {
    return ParseError("payload is not a JSON object");
  }
  ServiceAccountClaims out;
  out.namespace_name = StringAt(claims, "kubernetes.io/serviceaccount/namespace");
  out.name = StringAt(claims, "kubernetes.io/serviceaccount/service-account.name");
  out.uid = StringAt(claims, "kubernetes.io/serviceaccount/service-account.uid");
  auto projected = claims.find("kubernetes.io");
  if (projected != claims.end() && projected->is_object()) {
    if (!out.namespace_name) {
      out.namespace_name = StringAt(*projected, "namespace");
    }
    auto account = projected->find("serviceaccount");
    if (account != projected->end()) {
      if (!out.name) {
        out.name = StringAt(*account, "name");
      }
      if (!out.uid) {
        out.uid = StringAt(*account, "uid");
      }
    }
  }
  return out;
}

}  // namespace coffer::auth::kubernetes
