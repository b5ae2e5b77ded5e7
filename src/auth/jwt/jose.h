// JOSE pieces the jwt auth method needs (RFC 7515/7517/7518/8037): base64url,
// compact JWS parsing, public keys from PEM and from JWKs, and signature
// verification through OpenSSL 3's EVP interface. Pure functions over
// untrusted input: every failure is a Status, never an exception or abort.
// All functions are thread-safe.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>
#include <openssl/types.h>

#include "base/status.h"

namespace coffer::auth::jwt {

struct PkeyDeleter {
  void operator()(EVP_PKEY* key) const;
};
// Shared so a cached key set can hand keys to concurrent logins.
using PublicKey = std::shared_ptr<EVP_PKEY>;

// Base64UrlDecode decodes RFC 4648 §5 base64url without padding (as JWS
// uses it); nullopt for any other character, padding, or a bad length.
std::optional<std::string> Base64UrlDecode(std::string_view in);

// ParseJsonObject parses `text` as a JSON object without exceptions;
// nullopt when it is not valid JSON or not an object.
std::optional<nlohmann::json> ParseJsonObject(std::string_view text);

// A compact JWS split into its parts. `signing_input` is
// "<header b64>.<payload b64>", what the signature covers.
struct CompactJws {
  nlohmann::json header;   // an object
  nlohmann::json payload;  // an object (the claims)
  std::string signing_input;
  std::string signature;   // raw bytes
};

// ParseCompactJws splits and decodes a JWT; InvalidArgument "malformed
// JWT: ..." when it is not three base64url parts of a JSON header and JSON
// claims, or the header has no string "alg".
Result<CompactJws> ParseCompactJws(std::string_view token);

// IsSupportedAlg tells whether coffer can verify `alg`: RS256, RS384,
// RS512, ES256, ES384, ES512, EdDSA. Never "none".
bool IsSupportedAlg(std::string_view alg);
// SupportedAlgs lists them, in that order.
std::vector<std::string> SupportedAlgs();

// KeysFromPem reads every public key in `pem`: "PUBLIC KEY" (SPKI), "RSA
// PUBLIC KEY" (PKCS#1) and "CERTIFICATE" blocks (the certificate's key, as
// Vault accepts). InvalidArgument when there is none or a block does not
// parse.
Result<std::vector<PublicKey>> KeysFromPem(std::string_view pem);

// A key of a JWKS, with its "kid" ("" when it has none).
struct KeyWithId {
  std::string kid;
  PublicKey key;
};

// KeyFromJwk builds the public key of one JWK: kty RSA (n, e), EC (crv
// P-256/P-384/P-521, x, y) or OKP (crv Ed25519, x). InvalidArgument for
// another type, a missing or malformed member, or a point not on the curve.
Result<PublicKey> KeyFromJwk(const nlohmann::json& jwk);

// KeysFromJwks parses a JWK Set document ({"keys": [...]}). Keys whose use
// is not "sig" or whose type is unknown are skipped (as go-jose does); a
// malformed key of a known type is an error, and so is a set with no usable
// key.
Result<std::vector<KeyWithId>> KeysFromJwks(std::string_view document);

// VerifyJwsSignature checks `signature` (JWS form: RSA PKCS#1 v1.5 bytes,
// ECDSA raw r||s, Ed25519 64 bytes) over `signing_input` with `key` under
// `alg`. Returns false for a wrong signature or a key of the wrong type or
// curve for `alg`; InvalidArgument for an unsupported alg.
Result<bool> VerifyJwsSignature(std::string_view alg, EVP_PKEY* key,
                                std::string_view signing_input, std::string_view signature);

}  // namespace coffer::auth::jwt
