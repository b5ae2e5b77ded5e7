// Hex, base64 (standard alphabet, padded) and percent encoding. Pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace coffer {

std::string HexEncode(std::string_view bytes);
// HexDecode accepts upper or lower case; nullopt for odd length or a non-hex char.
std::optional<std::string> HexDecode(std::string_view hex);

std::string Base64Encode(std::string_view bytes);
// Base64Decode accepts padded standard base64; nullopt when malformed.
std::optional<std::string> Base64Decode(std::string_view b64);

// Base64UrlEncode is RFC 4648 section 5 (URL alphabet) without padding, as
// JWTs and batch tokens use it; Base64UrlDecode accepts exactly that.
std::string Base64UrlEncode(std::string_view bytes);
std::optional<std::string> Base64UrlDecode(std::string_view b64url);

// PercentDecode decodes %XX escapes (URLs, query strings, DSNs). When
// `plus_as_space` is true ('+' in a query string) '+' becomes ' '. Returns
// nullopt for a truncated or non-hex escape, or for a decoded NUL byte,
// which no path, parameter or connection string may contain.
std::optional<std::string> PercentDecode(std::string_view in, bool plus_as_space);

}  // namespace coffer
