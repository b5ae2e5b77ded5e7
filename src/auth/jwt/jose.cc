#include "auth/jwt/jose.h"

#include <array>
#include <cstdint>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

namespace coffer::auth::jwt {

namespace {

using nlohmann::json;

template <typename T, void (*F)(T*)>
struct Free {
  void operator()(T* p) const { F(p); }
};
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, Free<EVP_MD_CTX, EVP_MD_CTX_free>>;
using PkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, Free<EVP_PKEY_CTX, EVP_PKEY_CTX_free>>;
using BioPtr = std::unique_ptr<BIO, Free<BIO, BIO_free_all>>;
using BnPtr = std::unique_ptr<BIGNUM, Free<BIGNUM, BN_free>>;
using ParamBldPtr = std::unique_ptr<OSSL_PARAM_BLD, Free<OSSL_PARAM_BLD, OSSL_PARAM_BLD_free>>;
using ParamPtr = std::unique_ptr<OSSL_PARAM, Free<OSSL_PARAM, OSSL_PARAM_free>>;
using EcdsaSigPtr = std::unique_ptr<ECDSA_SIG, Free<ECDSA_SIG, ECDSA_SIG_free>>;

PublicKey Wrap(EVP_PKEY* key) { return PublicKey(key, PkeyDeleter()); }

int DecodeChar(char c) {
  if (c >= 'A' && c <= 'Z') {
    return c - 'A';
  }
  if (c >= 'a' && c <= 'z') {
    return c - 'a' + 26;
  }
  if (c >= '0' && c <= '9') {
    return c - '0' + 52;
  }
  if (c == '-') {
    return 62;
  }
  if (c == '_') {
    return 63;
  }
  return -1;
}

// MemberBytes decodes a base64url string member of a JWK.
Result<std::string> MemberBytes(const json& jwk, const char* name) {
  auto it = jwk.find(name);
  if (it == jwk.end() || !it->is_string()) {
    return Status::InvalidArgument(std::string("JWK has no \"") + name + "\"");
  }
  std::optional<std::string> bytes = Base64UrlDecode(it->get_ref<const std::string&>());
  if (!bytes || bytes->empty()) {
    return Status::InvalidArgument(std::string("JWK member \"") + name + "\" is not base64url");
  }
  return std::move(*bytes);
}

std::string StringMember(const json& j, const char* name) {
  auto it = j.find(name);
  return it != j.end() && it->is_string() ? it->get<std::string>() : "";
}

// FromData makes a public key of `type` ("RSA", "EC") from parameters.
Result<PublicKey> FromData(const char* type, OSSL_PARAM* params) {
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
  EVP_PKEY* key = nullptr;
  if (!ctx || EVP_PKEY_fromdata_init(ctx.get()) <= 0 ||
      EVP_PKEY_fromdata(ctx.get(), &key, EVP_PKEY_PUBLIC_KEY, params) <= 0 || key == nullptr) {
    return Status::InvalidArgument(std::string("JWK is not a valid ") + type + " public key");
  }
  PublicKey wrapped = Wrap(key);
  PkeyCtxPtr check(EVP_PKEY_CTX_new_from_pkey(nullptr, key, nullptr));
  if (!check || EVP_PKEY_public_check(check.get()) <= 0) {
    return Status::InvalidArgument(std::string("JWK is not a valid ") + type + " public key");
  }
  return wrapped;
}

Result<PublicKey> RsaFromJwk(const json& jwk) {
  COFFER_ASSIGN_OR_RETURN(std::string n, MemberBytes(jwk, "n"));
  COFFER_ASSIGN_OR_RETURN(std::string e, MemberBytes(jwk, "e"));
  BnPtr bn_n(BN_bin2bn(reinterpret_cast<const unsigned char*>(n.data()),
                       static_cast<int>(n.size()), nullptr));
  BnPtr bn_e(BN_bin2bn(reinterpret_cast<const unsigned char*>(e.data()),
                       static_cast<int>(e.size()), nullptr));
  ParamBldPtr bld(OSSL_PARAM_BLD_new());
  if (!bn_n || !bn_e || !bld || !OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_N, bn_n.get()) ||
      !OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_E, bn_e.get())) {
    return Status::Internal("building RSA key parameters failed");
  }
  ParamPtr params(OSSL_PARAM_BLD_to_param(bld.get()));
  if (!params) {
    return Status::Internal("building RSA key parameters failed");
  }
  return FromData("RSA", params.get());
}

Result<PublicKey> EcFromJwk(const json& jwk) {
  const std::string crv = StringMember(jwk, "crv");
  const char* group = nullptr;
  size_t size = 0;
  if (crv == "P-256") {
    group = "P-256";
    size = 32;
  } else if (crv == "P-384") {
    group = "P-384";
    size = 48;
  } else if (crv == "P-521") {
    group = "P-521";
    size = 66;
  } else {
    return Status::InvalidArgument("unsupported EC curve \"" + crv + "\"");
  }
  COFFER_ASSIGN_OR_RETURN(std::string x, MemberBytes(jwk, "x"));
  COFFER_ASSIGN_OR_RETURN(std::string y, MemberBytes(jwk, "y"));
  if (x.size() != size || y.size() != size) {
    return Status::InvalidArgument("EC JWK coordinates have the wrong size for " + crv);
  }
  std::string point = "\x04" + x + y;
  ParamBldPtr bld(OSSL_PARAM_BLD_new());
  if (!bld ||
      !OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, group, 0) ||
      !OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(),
                                        point.size())) {
    return Status::Internal("building EC key parameters failed");
  }
  ParamPtr params(OSSL_PARAM_BLD_to_param(bld.get()));
  if (!params) {
    return Status::Internal("building EC key parameters failed");
  }
  return FromData("EC", params.get());
}

Result<PublicKey> OkpFromJwk(const json& jwk) {
  if (StringMember(jwk, "crv") != "Ed25519") {
    return Status::InvalidArgument("unsupported OKP curve \"" + StringMember(jwk, "crv") + "\"");
  }
  COFFER_ASSIGN_OR_RETURN(std::string x, MemberBytes(jwk, "x"));
  if (x.size() != 32) {
    return Status::InvalidArgument("Ed25519 JWK key has the wrong size");
  }
  EVP_PKEY* key = EVP_PKEY_new_raw_public_key(
      EVP_PKEY_ED25519, nullptr, reinterpret_cast<const unsigned char*>(x.data()), x.size());
  if (key == nullptr) {
    return Status::InvalidArgument("JWK is not a valid Ed25519 public key");
  }
  return Wrap(key);
}

// The digest and key family an alg names.
struct AlgInfo {
  const char* name;
  const char* digest;  // nullptr: none (EdDSA)
  const char* key_type;
  const char* group;    // EC curve, else nullptr
  size_t ec_size;       // bytes of r and of s
};

constexpr std::array<AlgInfo, 7> kAlgs = {{
    {"RS256", "SHA256", "RSA", nullptr, 0},
    {"RS384", "SHA384", "RSA", nullptr, 0},
    {"RS512", "SHA512", "RSA", nullptr, 0},
    {"ES256", "SHA256", "EC", "prime256v1", 32},
    {"ES384", "SHA384", "EC", "secp384r1", 48},
    {"ES512", "SHA512", "EC", "secp521r1", 66},
    {"EdDSA", nullptr, "ED25519", nullptr, 0},
}};

const AlgInfo* FindAlg(std::string_view alg) {
  for (const AlgInfo& info : kAlgs) {
    if (alg == info.name) {
      return &info;
    }
  }
  return nullptr;
}

bool KeyFits(const AlgInfo& info, EVP_PKEY* key) {
  if (!EVP_PKEY_is_a(key, info.key_type)) {
    return false;
  }
  if (info.group == nullptr) {
    return true;
  }
  char group[64] = {0};
  size_t len = 0;
  if (EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof(group),
                                     &len) != 1) {
    return false;
  }
  return std::string_view(group, len) == info.group;
}

// RawToDer converts a JWS ECDSA signature (r||s, fixed size) to DER.
std::optional<std::string> RawToDer(std::string_view raw, size_t half) {
  if (raw.size() != 2 * half) {
    return std::nullopt;
  }
  const auto* bytes = reinterpret_cast<const unsigned char*>(raw.data());
  BnPtr r(BN_bin2bn(bytes, static_cast<int>(half), nullptr));
  BnPtr s(BN_bin2bn(bytes + half, static_cast<int>(half), nullptr));
  EcdsaSigPtr sig(ECDSA_SIG_new());
  if (!r || !s || !sig || ECDSA_SIG_set0(sig.get(), r.get(), s.get()) != 1) {
    return std::nullopt;
  }
  (void)r.release();  // owned by sig now
  (void)s.release();
  unsigned char* der = nullptr;
  const int len = i2d_ECDSA_SIG(sig.get(), &der);
  if (len <= 0 || der == nullptr) {
    return std::nullopt;
  }
  std::string out(reinterpret_cast<const char*>(der), static_cast<size_t>(len));
  OPENSSL_free(der);
  return out;
}

}  // namespace

void PkeyDeleter::operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }

std::optional<std::string> Base64UrlDecode(std::string_view in) {
  if (in.size() % 4 == 1) {
    return std::nullopt;
  }
  std::string out;
  out.reserve(in.size() * 3 / 4);
  uint32_t acc = 0;
  int bits = 0;
  for (char c : in) {
    const int v = DecodeChar(c);
    if (v < 0) {
      return std::nullopt;
    }
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xFF));
    }
  }
  // Leftover bits must be zero (canonical encoding).
  if (bits > 0 && (acc & ((1u << bits) - 1)) != 0) {
    return std::nullopt;
  }
  return out;
}

std::optional<json> ParseJsonObject(std::string_view text) {
  json j = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) {
    return std::nullopt;
  }
  return j;
}

Result<CompactJws> ParseCompactJws(std::string_view token) {
  const size_t first = token.find('.');
  const size_t second = first == std::string_view::npos ? first : token.find('.', first + 1);
  if (second == std::string_view::npos || token.find('.', second + 1) != std::string_view::npos) {
    return Status::InvalidArgument("malformed JWT: expected three dot-separated parts");
  }
  std::optional<std::string> header = Base64UrlDecode(token.substr(0, first));
  std::optional<std::string> payload = Base64UrlDecode(token.substr(first + 1, second - first - 1));
  std::optional<std::string> signature = Base64UrlDecode(token.substr(second + 1));
  if (!header || !payload || !signature) {
    return Status::InvalidArgument("malformed JWT: a part is not base64url");
  }
  CompactJws jws;
  std::optional<json> h = ParseJsonObject(*header);
  std::optional<json> p = ParseJsonObject(*payload);
  if (!h || !p) {
    return Status::InvalidArgument("malformed JWT: header or claims are not a JSON object");
  }
  auto alg = h->find("alg");
  if (alg == h->end() || !alg->is_string()) {
    return Status::InvalidArgument("malformed JWT: header has no \"alg\"");
  }
  // RFC 7515 §4.1.11: a token whose critical extensions are not understood
  // must be refused; coffer understands none.
  if (h->contains("crit")) {
    return Status::InvalidArgument("malformed JWT: unsupported critical header \"crit\"");
  }
  jws.header = std::move(*h);
  jws.payload = std::move(*p);
  jws.signing_input = std::string(token.substr(0, second));
  jws.signature = std::move(*signature);
  return jws;
}

bool IsSupportedAlg(std::string_view alg) { return FindAlg(alg) != nullptr; }

std::vector<std::string> SupportedAlgs() {
  std::vector<std::string> out;
  for (const AlgInfo& info : kAlgs) {
    out.emplace_back(info.name);
  }
  return out;
}

Result<std::vector<PublicKey>> KeysFromPem(std::string_view pem) {
  constexpr size_t kMaxPem = 1 << 20;
  if (pem.size() > kMaxPem) {
    return Status::InvalidArgument("PEM data is too large");
  }
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (!bio) {
    return Status::Internal("BIO_new_mem_buf failed");
  }
  std::vector<PublicKey> keys;
  while (true) {
    char* name = nullptr;
    char* header = nullptr;
    unsigned char* data = nullptr;
    long len = 0;
    if (PEM_read_bio(bio.get(), &name, &header, &data, &len) != 1) {
      break;  // no further block (or a broken one, caught below by count)
    }
    const std::string type = name;
    const unsigned char* p = data;
    EVP_PKEY* key = nullptr;
    if (type == "PUBLIC KEY") {
      key = d2i_PUBKEY(nullptr, &p, len);
    } else if (type == "RSA PUBLIC KEY") {
      key = d2i_PublicKey(EVP_PKEY_RSA, nullptr, &p, len);
    } else if (type == "CERTIFICATE") {
      if (X509* cert = d2i_X509(nullptr, &p, len)) {
        key = X509_get_pubkey(cert);
        X509_free(cert);
      }
    }
    OPENSSL_free(name);
    OPENSSL_free(header);
    OPENSSL_free(data);
    if (key == nullptr) {
      ERR_clear_error();
      return Status::InvalidArgument("PEM block \"" + type + "\" is not a valid public key");
    }
    keys.push_back(Wrap(key));
  }
  ERR_clear_error();
  if (keys.empty()) {
    return Status::InvalidArgument("no PEM-encoded public key found");
  }
  return keys;
}

Result<PublicKey> KeyFromJwk(const json& jwk) {
  if (!jwk.is_object()) {
    return Status::InvalidArgument("JWK is not an object");
  }
  const std::string kty = StringMember(jwk, "kty");
  if (kty == "RSA") {
    return RsaFromJwk(jwk);
  }
  if (kty == "EC") {
    return EcFromJwk(jwk);
  }
  if (kty == "OKP") {
    return OkpFromJwk(jwk);
  }
  return Status::InvalidArgument("unsupported JWK key type \"" + kty + "\"");
}

Result<std::vector<KeyWithId>> KeysFromJwks(std::string_view document) {
  std::optional<json> doc = ParseJsonObject(document);
  if (!doc || !doc->contains("keys") || !(*doc)["keys"].is_array()) {
    return Status::InvalidArgument("JWKS is not a JSON object with a \"keys\" array");
  }
  std::vector<KeyWithId> keys;
  for (const json& jwk : (*doc)["keys"]) {
    if (!jwk.is_object()) {
      return Status::InvalidArgument("JWKS key is not an object");
    }
    const std::string use = StringMember(jwk, "use");
    const std::string kty = StringMember(jwk, "kty");
    if ((!use.empty() && use != "sig") || (kty != "RSA" && kty != "EC" && kty != "OKP")) {
      continue;
    }
    COFFER_ASSIGN_OR_RETURN(PublicKey key, KeyFromJwk(jwk));
    keys.push_back({StringMember(jwk, "kid"), std::move(key)});
  }
  if (keys.empty()) {
    return Status::InvalidArgument("JWKS has no usable signing key");
  }
  return keys;
}

Result<bool> VerifyJwsSignature(std::string_view alg, EVP_PKEY* key,
                                std::string_view signing_input, std::string_view signature) {
  const AlgInfo* info = FindAlg(alg);
  if (info == nullptr) {
    return Status::InvalidArgument("unsupported signing algorithm \"" + std::string(alg) + "\"");
  }
  if (key == nullptr || !KeyFits(*info, key)) {
    return false;
  }
  std::string sig(signature);
  if (info->ec_size != 0) {
    std::optional<std::string> der = RawToDer(signature, info->ec_size);
    if (!der) {
      return false;
    }
    sig = std::move(*der);
  }
  MdCtxPtr ctx(EVP_MD_CTX_new());
  if (!ctx) {
    return Status::Internal("EVP_MD_CTX_new failed");
  }
  if (EVP_DigestVerifyInit_ex(ctx.get(), nullptr, info->digest, nullptr, nullptr, key, nullptr) !=
      1) {
    ERR_clear_error();
    return false;
  }
  const int rc = EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(sig.data()),
                                  sig.size(),
                                  reinterpret_cast<const unsigned char*>(signing_input.data()),
                                  signing_input.size());
  ERR_clear_error();
  return rc == 1;
}

}  // namespace coffer::auth::jwt
