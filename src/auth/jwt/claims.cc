#include "auth/jwt/claims.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace coffer::auth::jwt {

namespace {

using nlohmann::json;

// NumericDate reads a time claim (seconds, possibly fractional); nullopt
// when absent; InvalidArgument when not a number.
Result<std::optional<int64_t>> NumericDate(const json& claims, const char* name) {
  auto it = claims.find(name);
  if (it == claims.end() || it->is_null()) {
    return std::optional<int64_t>();
  }
  if (!it->is_number()) {
    return Status::InvalidArgument(std::string("claim \"") + name + "\" is not a number");
  }
  const double v = it->get<double>();
  if (!std::isfinite(v) || v > 1e15 || v < -1e15) {
    return Status::InvalidArgument(std::string("claim \"") + name + "\" is out of range");
  }
  return std::optional<int64_t>(static_cast<int64_t>(std::floor(v)));
}

// StringValues reads a claim that is a string or a list of scalars.
std::vector<std::string> StringValues(const json& value) {
  std::vector<std::string> out;
  if (value.is_array()) {
    for (const json& v : value) {
      if (std::optional<std::string> text = ClaimText(v)) {
        out.push_back(std::move(*text));
      }
    }
  } else if (std::optional<std::string> text = ClaimText(value)) {
    out.push_back(std::move(*text));
  }
  return out;
}

Status ValidateAudience(const JwtRole& role, const json& claims) {
  auto it = claims.find("aud");
  const std::vector<std::string> aud =
      it == claims.end() ? std::vector<std::string>() : StringValues(*it);
  if (role.bound_audiences.empty()) {
    if (!aud.empty()) {
      return Status::InvalidArgument(
          "audience claim found in JWT but no audiences bound to the role");
    }
    return Status::Ok();
  }
  for (const std::string& a : aud) {
    if (std::find(role.bound_audiences.begin(), role.bound_audiences.end(), a) !=
        role.bound_audiences.end()) {
      return Status::Ok();
    }
  }
  return Status::InvalidArgument("audience claim does not match any expected audience");
}

Status ValidateBoundClaims(const JwtRole& role, const json& claims) {
  const bool glob = role.bound_claims_type == "glob";
  for (const auto& [name, expected] : role.bound_claims.items()) {
    const json* actual = GetClaim(claims, name);
    if (actual == nullptr) {
      return Status::InvalidArgument("claim \"" + name + "\" is missing");
    }
    const std::vector<std::string> want = StringValues(expected);
    const std::vector<std::string> have = StringValues(*actual);
    bool matched = false;
    for (const std::string& h : have) {
      for (const std::string& w : want) {
        if (glob ? GlobMatch(w, h) : w == h) {
          matched = true;
        }
      }
    }
    if (!matched) {
      return Status::InvalidArgument("claim \"" + name +
                                     "\" does not match any associated bound claim values");
    }
  }
  return Status::Ok();
}

}  // namespace

const json* GetClaim(const json& claims, const std::string& name) {
  if (name.empty() || name[0] != '/') {
    auto it = claims.find(name);
    return it == claims.end() ? nullptr : &*it;
  }
  // RFC 6901 JSON pointer, walked by hand so nothing throws.
  const json* node = &claims;
  size_t pos = 1;
  while (true) {
    const size_t next = name.find('/', pos);
    std::string token = name.substr(pos, next == std::string::npos ? std::string::npos : next - pos);
    std::string unescaped;
    for (size_t i = 0; i < token.size(); ++i) {
      if (token[i] == '~' && i + 1 < token.size() && (token[i + 1] == '0' || token[i + 1] == '1')) {
        unescaped.push_back(token[i + 1] == '0' ? '~' : '/');
        ++i;
      } else {
        unescaped.push_back(token[i]);
      }
    }
    if (node->is_object()) {
      auto it = node->find(unescaped);
      if (it == node->end()) {
        return nullptr;
      }
      node = &*it;
    } else if (node->is_array()) {
      if (unescaped.empty() || unescaped.size() > 9 ||
          !std::all_of(unescaped.begin(), unescaped.end(),
                       [](char c) { return c >= '0' && c <= '9'; })) {
        return nullptr;
      }
      const size_t index = std::stoul(unescaped);
      if (index >= node->size()) {
        return nullptr;
      }
      node = &(*node)[index];
    } else {
      return nullptr;
    }
    if (next == std::string::npos) {
      return node;
    }
    pos = next + 1;
  }
}

std::optional<std::string> ClaimText(const json& value) {
  if (value.is_string()) {
    return value.get<std::string>();
  }
  if (value.is_number() || value.is_boolean()) {
    return value.dump();
  }
  return std::nullopt;
}


Status ValidateTimeClaims(const JwtRole& role, const json& claims, int64_t now) {
  const int64_t skew = EffectiveLeeway(role.clock_skew_leeway, kDefaultClockSkewLeeway);
  const int64_t exp_leeway = EffectiveLeeway(role.expiration_leeway, kDefaultExpirationLeeway);
  const int64_t nbf_leeway = EffectiveLeeway(role.not_before_leeway, kDefaultNotBeforeLeeway);
  COFFER_ASSIGN_OR_RETURN(std::optional<int64_t> exp, NumericDate(claims, "exp"));
  COFFER_ASSIGN_OR_RETURN(std::optional<int64_t> nbf, NumericDate(claims, "nbf"));
  COFFER_ASSIGN_OR_RETURN(std::optional<int64_t> iat, NumericDate(claims, "iat"));
  if (!exp) {
    return Status::InvalidArgument("missing exp claim: tokens must expire");
  }
  if (now > *exp + exp_leeway + skew) {
    return Status::InvalidArgument("token is expired");
  }
  if (nbf && now + nbf_leeway + skew < *nbf) {
    return Status::InvalidArgument("token is not yet valid (nbf claim)");
  }
  if (iat && now + nbf_leeway + skew < *iat) {
    return Status::InvalidArgument("token issued in the future (iat claim)");
  }
  return Status::Ok();
}

Status ValidateClaims(const JwtConfig& config, const JwtRole& role, const json& claims,
                      int64_t now) {
  COFFER_RETURN_IF_ERROR(ValidateTimeClaims(role, claims, now));
  if (!config.bound_issuer.empty()) {
    auto it = claims.find("iss");
    if (it == claims.end() || !it->is_string() || it->get<std::string>() != config.bound_issuer) {
      return Status::InvalidArgument("issuer claim does not match the bound issuer");
    }
  }
  COFFER_RETURN_IF_ERROR(ValidateAudience(role, claims));
  if (!role.bound_subject.empty()) {
    auto it = claims.find("sub");
    if (it == claims.end() || !it->is_string() || it->get<std::string>() != role.bound_subject) {
      return Status::InvalidArgument("subject claim does not match the bound subject");
    }
  }
  COFFER_RETURN_IF_ERROR(ValidateBoundClaims(role, claims));
  if (!role.groups_claim.empty()) {
    const json* groups = GetClaim(claims, role.groups_claim);
    if (groups == nullptr) {
      return Status::InvalidArgument("\"" + role.groups_claim + "\" claim not found in token");
    }
    if (!groups->is_string() && !groups->is_array()) {
      return Status::InvalidArgument("\"" + role.groups_claim +
                                     "\" claim is not a string or a list");
    }
  }
  return Status::Ok();
}

Result<std::string> UserName(const JwtRole& role, const json& claims) {
  const json* value = nullptr;
  if (role.user_claim_json_pointer) {
    value = GetClaim(claims, role.user_claim);
  } else if (auto it = claims.find(role.user_claim); it != claims.end()) {
    value = &*it;
  }
  if (value == nullptr) {
    return Status::InvalidArgument("claim \"" + role.user_claim + "\" not found in token");
  }
  std::optional<std::string> text = ClaimText(*value);
  if (!text || text->empty()) {
    return Status::InvalidArgument("claim \"" + role.user_claim +
                                   "\" could not be converted to string");
  }
  return std::move(*text);
}

Result<std::map<std::string, std::string>> MappedMetadata(const JwtRole& role, const json& claims) {
  std::map<std::string, std::string> metadata;
  for (const auto& [claim, key] : role.claim_mappings) {
    const json* value = GetClaim(claims, claim);
    if (value == nullptr) {
      continue;
    }
    std::optional<std::string> text = ClaimText(*value);
    if (!text) {
      return Status::InvalidArgument("error converting claim \"" + claim + "\" to string");
    }
    metadata[key] = std::move(*text);
  }
  return metadata;
}

}  // namespace coffer::auth::jwt
