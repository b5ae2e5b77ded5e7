// jwt auth: JOSE parsing and signature checks (RS256, ES256, EdDSA with
// keys made here), claim validation against roles, config and role
// management, and JWKS key sources through a fake HTTP fetcher.
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "auth/jwt/claims.h"
#include "auth/jwt/jose.h"
#include "auth/jwt/jwt_backend.h"
#include "engines/engine_harness.h"

namespace coffer::engines::testing {
namespace {

using auth::jwt::Base64UrlDecode;
using auth::jwt::GetClaim;
using ::coffer::GlobMatch;
using auth::jwt::KeysFromJwks;
using core::Operation;
using nlohmann::json;

// --- signing helpers ----------------------------------------------------------

std::string B64Url(std::string_view bytes) {
  static const char* kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  uint32_t acc = 0;
  int bits = 0;
  for (unsigned char c : bytes) {
    acc = (acc << 8) | c;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out.push_back(kAlphabet[(acc >> bits) & 0x3F]);
    }
  }
  if (bits > 0) {
    out.push_back(kAlphabet[(acc << (6 - bits)) & 0x3F]);
  }
  return out;
}

struct TestKey {
  std::string alg;
  std::shared_ptr<EVP_PKEY> key;

  static TestKey Make(const std::string& alg) {
    EVP_PKEY* k = nullptr;
    if (alg == "RS256") {
      k = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t{2048});
    } else if (alg == "ES256") {
      k = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
    } else {
      k = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
    }
    EXPECT_NE(k, nullptr);
    return {alg, std::shared_ptr<EVP_PKEY>(k, EVP_PKEY_free)};
  }

  std::string Pem() const {
    BIO* bio = BIO_new(BIO_s_mem());
    PEM_write_bio_PUBKEY(bio, key.get());
    char* data = nullptr;
    long len = BIO_get_mem_data(bio, &data);
    std::string out(data, static_cast<size_t>(len));
    BIO_free(bio);
    return out;
  }

  std::string Sign(const std::string& input) const {
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    const char* md = alg == "EdDSA" ? nullptr : "SHA256";
    EXPECT_EQ(EVP_DigestSignInit_ex(ctx, nullptr, md, nullptr, nullptr, key.get(), nullptr), 1);
    size_t len = 0;
    EVP_DigestSign(ctx, nullptr, &len, reinterpret_cast<const unsigned char*>(input.data()),
                   input.size());
    std::string sig(len, '\0');
    EXPECT_EQ(EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(sig.data()), &len,
                             reinterpret_cast<const unsigned char*>(input.data()), input.size()),
              1);
    sig.resize(len);
    EVP_MD_CTX_free(ctx);
    if (alg != "ES256") {
      return sig;
    }
    // DER → raw r||s, as JWS wants.
    const unsigned char* p = reinterpret_cast<const unsigned char*>(sig.data());
    ECDSA_SIG* ecdsa = d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(sig.size()));
    std::string raw(64, '\0');
    BN_bn2binpad(ECDSA_SIG_get0_r(ecdsa), reinterpret_cast<unsigned char*>(raw.data()), 32);
    BN_bn2binpad(ECDSA_SIG_get0_s(ecdsa), reinterpret_cast<unsigned char*>(raw.data()) + 32, 32);
    ECDSA_SIG_free(ecdsa);
    return raw;
  }

  json Jwk(const std::string& kid) const {
    if (alg == "RS256") {
      BIGNUM* n = nullptr;
      BIGNUM* e = nullptr;
      EVP_PKEY_get_bn_param(key.get(), OSSL_PKEY_PARAM_RSA_N, &n);
      EVP_PKEY_get_bn_param(key.get(), OSSL_PKEY_PARAM_RSA_E, &e);
      std::string nb(static_cast<size_t>(BN_num_bytes(n)), '\0');
      std::string eb(static_cast<size_t>(BN_num_bytes(e)), '\0');
      BN_bn2bin(n, reinterpret_cast<unsigned char*>(nb.data()));
      BN_bn2bin(e, reinterpret_cast<unsigned char*>(eb.data()));
      BN_free(n);
      BN_free(e);
      return {{"kty", "RSA"}, {"kid", kid}, {"use", "sig"}, {"n", B64Url(nb)}, {"e", B64Url(eb)}};
    }
    unsigned char buf[133];
    size_t len = 0;
    if (alg == "ES256") {
      EVP_PKEY_get_octet_string_param(key.get(), OSSL_PKEY_PARAM_PUB_KEY, buf, sizeof(buf), &len);
      std::string point(reinterpret_cast<char*>(buf), len);  // 04 || x || y
      return {{"kty", "EC"},
              {"kid", kid},
              {"crv", "P-256"},
              {"x", B64Url(point.substr(1, 32))},
              {"y", B64Url(point.substr(33, 32))}};
    }
    len = sizeof(buf);
    EVP_PKEY_get_raw_public_key(key.get(), buf, &len);
    return {{"kty", "OKP"},
            {"kid", kid},
            {"crv", "Ed25519"},
            {"x", B64Url(std::string(reinterpret_cast<char*>(buf), len))}};
  }

  std::string Token(const json& claims, json header = json::object()) const {
    header["alg"] = alg;
    header["typ"] = "JWT";
    const std::string input = B64Url(header.dump()) + "." + B64Url(claims.dump());
    return input + "." + B64Url(Sign(input));
  }
};

// The same keys for every test: RSA key generation is slow.
const TestKey& Key(const std::string& alg) {
  static const std::map<std::string, TestKey>* keys = new std::map<std::string, TestKey>{
      {"RS256", TestKey::Make("RS256")},
      {"ES256", TestKey::Make("ES256")},
      {"EdDSA", TestKey::Make("EdDSA")},
  };
  return keys->at(alg);
}
const TestKey& OtherRsaKey() {
  static const TestKey* key = new TestKey(TestKey::Make("RS256"));
  return *key;
}

int64_t NowSeconds(EngineHarness& h) {
  return std::chrono::duration_cast<std::chrono::seconds>(h.clock().Now().time_since_epoch())
      .count();
}

// Claims a role "web" (bound_audiences ["coffer"]) accepts.
json GoodClaims(EngineHarness& h) {
  const int64_t now = NowSeconds(h);
  return {{"iss", "https://issuer.example"},
          {"sub", "user-1"},
          {"aud", "coffer"},
          {"iat", now - 10},
          {"nbf", now - 10},
          {"exp", now + 600},
          {"email", "a@example.com"},
          {"k8s", {{"namespace", "prod"}, {"labels", json::array({"x", "y"})}}}};
}

void Configure(EngineHarness& h, json config) {
  h.MustCall(Operation::kUpdate, "config", std::move(config));
}

void ConfigurePem(EngineHarness& h, const std::string& alg, json extra = json::object()) {
  json config = {{"jwt_validation_pubkeys", json::array({Key(alg).Pem()})}};
  config.update(extra);
  Configure(h, config);
}

void WriteRole(EngineHarness& h, json extra = json::object(), const std::string& name = "web") {
  json role = {{"bound_audiences", json::array({"coffer"})},
               {"user_claim", "sub"},
               {"token_policies", json::array({"dev"})}};
  role.update(extra);
  h.MustCall(Operation::kUpdate, "role/" + name, role);
}

Result<core::Response> Login(EngineHarness& h, const std::string& jwt,
                             const std::string& role = "web") {
  json body = {{"jwt", jwt}};
  if (!role.empty()) {
    body["role"] = role;
  }
  return h.Call(Operation::kUpdate, "login", body);
}

// ExpectRefused checks a login fails with 400, no grant, and `substring`.
void ExpectRefused(const Result<core::Response>& r, const std::string& substring) {
  ASSERT_FALSE(r.ok()) << "login unexpectedly succeeded; wanted: " << substring;
  EXPECT_EQ(r.status().code(), Code::kInvalidArgument) << r.status().ToString();
  EXPECT_NE(r.status().message().find(substring), std::string::npos) << r.status().ToString();
}

// --- JOSE helpers ---------------------------------------------------------------

TEST(JwtJoseTest, Base64UrlDecodesWithoutPaddingOnly) {
  EXPECT_EQ(Base64UrlDecode("aGk"), "hi");
  EXPECT_EQ(Base64UrlDecode(""), "");
  EXPECT_EQ(Base64UrlDecode("-_8"), std::string("\xfb\xff", 2));
  EXPECT_FALSE(Base64UrlDecode("aGk=").has_value());
  EXPECT_FALSE(Base64UrlDecode("a+/b").has_value());
  EXPECT_FALSE(Base64UrlDecode("a").has_value());
}

TEST(JwtJoseTest, MalformedTokensAreRefused) {
  for (const char* bad : {"", "abc", "a.b", "a.b.c.d", "!!.e30.", "e30.bm90anNvbg.", "W10.e30.",
                          "e30.e30."}) {
    EXPECT_EQ(CodeOf(auth::jwt::ParseCompactJws(bad)), Code::kInvalidArgument) << bad;
  }
}

TEST(JwtJoseTest, JwksKeysOfEachTypeVerifyTheirSignatures) {
  json jwks = {{"keys", json::array({Key("RS256").Jwk("r"), Key("ES256").Jwk("e"),
                                     Key("EdDSA").Jwk("o"), {{"kty", "oct"}, {"k", "AAAA"}}})}};
  Result<std::vector<auth::jwt::KeyWithId>> keys = KeysFromJwks(jwks.dump());
  ASSERT_TRUE(keys.ok()) << keys.status().ToString();
  ASSERT_EQ(keys->size(), 3u);  // the symmetric key is skipped
  const char* algs[] = {"RS256", "ES256", "EdDSA"};
  for (size_t i = 0; i < 3; ++i) {
    const std::string sig = Key(algs[i]).Sign("input");
    EXPECT_TRUE(*auth::jwt::VerifyJwsSignature(algs[i], (*keys)[i].key.get(), "input", sig));
    EXPECT_FALSE(*auth::jwt::VerifyJwsSignature(algs[i], (*keys)[i].key.get(), "inpuT", sig));
    // A key of another type never verifies.
    EXPECT_FALSE(
        *auth::jwt::VerifyJwsSignature(algs[i], (*keys)[(i + 1) % 3].key.get(), "input", sig));
  }
}

TEST(JwtJoseTest, MalformedJwksIsRefused) {
  json bad_point = Key("ES256").Jwk("e");
  bad_point["y"] = bad_point["x"];  // not on the curve
  for (const std::string& doc :
       {std::string("[]"), std::string("{}"), json{{"keys", json::array()}}.dump(),
        json{{"keys", json::array({{{"kty", "RSA"}, {"n", "AQAB"}}})}}.dump(),
        json{{"keys", json::array({bad_point})}}.dump()}) {
    EXPECT_EQ(CodeOf(KeysFromJwks(doc)), Code::kInvalidArgument) << doc;
  }
}

TEST(JwtClaimsTest, GlobAndPointerLookups) {
  EXPECT_TRUE(GlobMatch("*", "anything"));
  EXPECT_TRUE(GlobMatch("repo:org/*:ref:main", "repo:org/app:ref:main"));
  EXPECT_FALSE(GlobMatch("repo:org/*:ref:main", "repo:other/app:ref:main"));
  EXPECT_TRUE(GlobMatch("a*b*c", "aXXbYYc"));
  EXPECT_FALSE(GlobMatch("a*b*c", "aXXc"));
  EXPECT_TRUE(GlobMatch("exact", "exact"));
  EXPECT_FALSE(GlobMatch("ab*ba", "aba"));
  json claims = {{"a", {{"b/c", 1}, {"list", {"x", "y"}}}}, {"top", "t"}};
  EXPECT_EQ(*GetClaim(claims, "top"), "t");
  EXPECT_EQ(*GetClaim(claims, "/a/b~1c"), 1);
  EXPECT_EQ(*GetClaim(claims, "/a/list/1"), "y");
  EXPECT_EQ(GetClaim(claims, "/a/list/2"), nullptr);
  EXPECT_EQ(GetClaim(claims, "/a/missing"), nullptr);
  EXPECT_EQ(GetClaim(claims, "/top/deeper"), nullptr);
}

// --- login with each algorithm --------------------------------------------------

TEST(JwtLoginTest, EachAlgorithmVerifiesAndGrantsTheRolesToken) {
  for (const char* alg : {"RS256", "ES256", "EdDSA"}) {
    EngineHarness h("jwt");
    ConfigurePem(h, alg);
    WriteRole(h, {{"claim_mappings", {{"email", "mail"}, {"/k8s/namespace", "namespace"}}}});
    Result<core::Response> r = Login(h, Key(alg).Token(GoodClaims(h)));
    ASSERT_TRUE(r.ok()) << alg << ": " << r.status().ToString();
    ASSERT_TRUE(r->login.has_value());
    EXPECT_EQ(r->login->display_name, "user-1");
    EXPECT_EQ(r->login->metadata, (std::map<std::string, std::string>{
                                      {"role", "web"}, {"mail", "a@example.com"},
                                      {"namespace", "prod"}}));
    EXPECT_EQ(r->login->token.policies, (std::vector<std::string>{"dev"}));
  }
}

TEST(JwtLoginTest, BadSignaturesAndAlgorithmsAreRefused) {
  EngineHarness h("jwt");
  ConfigurePem(h, "RS256");
  WriteRole(h);
  const json claims = GoodClaims(h);
  ExpectRefused(Login(h, OtherRsaKey().Token(claims)), "signature verification failed");

  std::string token = Key("RS256").Token(claims);
  json tampered = claims;
  tampered["sub"] = "admin";
  const size_t dot1 = token.find('.');
  const size_t dot2 = token.find('.', dot1 + 1);
  std::string forged = token.substr(0, dot1 + 1) + B64Url(tampered.dump()) + token.substr(dot2);
  ExpectRefused(Login(h, forged), "signature verification failed");

  const std::string none =
      B64Url(R"({"alg":"none"})") + "." + B64Url(claims.dump()) + ".";
  ExpectRefused(Login(h, none), "\"none\" is not allowed");
  const std::string hs256 = B64Url(R"({"alg":"HS256"})") + "." + B64Url(claims.dump()) + "." +
                            B64Url("0123456789abcdef0123456789abcdef");
  ExpectRefused(Login(h, hs256), "unsupported signing algorithm");
  ExpectRefused(Login(h, "not-a-jwt"), "malformed JWT");
  ExpectRefused(Login(h, ""), "missing token");
}

TEST(JwtLoginTest, JwtSupportedAlgsLimitsTheAlgorithms) {
  EngineHarness h("jwt");
  Configure(h, {{"jwt_validation_pubkeys", json::array({Key("RS256").Pem(), Key("ES256").Pem()})},
                {"jwt_supported_algs", json::array({"ES256"})}});
  WriteRole(h);
  EXPECT_TRUE(Login(h, Key("ES256").Token(GoodClaims(h))).ok());
  ExpectRefused(Login(h, Key("RS256").Token(GoodClaims(h))), "unsupported signing algorithm");
}

// --- time claims ---------------------------------------------------------------

TEST(JwtLoginTest, ExpirationHonoursTheLeeways) {
  EngineHarness h("jwt");
  ConfigurePem(h, "EdDSA");
  WriteRole(h);
  const int64_t now = NowSeconds(h);
  json claims = GoodClaims(h);
  claims["exp"] = now - 200;  // inside 150 + 60
  EXPECT_TRUE(Login(h, Key("EdDSA").Token(claims)).ok());
  claims["exp"] = now - 211;
  ExpectRefused(Login(h, Key("EdDSA").Token(claims)), "token is expired");

  WriteRole(h, {{"expiration_leeway", -1}, {"clock_skew_leeway", -1}});
  claims["exp"] = now - 1;
  ExpectRefused(Login(h, Key("EdDSA").Token(claims)), "token is expired");
  claims.erase("exp");
  ExpectRefused(Login(h, Key("EdDSA").Token(claims)), "missing exp claim");
}

TEST(JwtLoginTest, NotBeforeInTheFutureIsRefused) {
  EngineHarness h("jwt");
  ConfigurePem(h, "EdDSA");
  WriteRole(h);
  json claims = GoodClaims(h);
  claims["nbf"] = NowSeconds(h) + 100;  // inside 150 + 60
  EXPECT_TRUE(Login(h, Key("EdDSA").Token(claims)).ok());
  claims["nbf"] = NowSeconds(h) + 1000;
  ExpectRefused(Login(h, Key("EdDSA").Token(claims)), "not yet valid");
  claims["nbf"] = NowSeconds(h);
  claims["iat"] = NowSeconds(h) + 1000;
  ExpectRefused(Login(h, Key("EdDSA").Token(claims)), "issued in the future");
}

// --- bindings ------------------------------------------------------------------

TEST(JwtLoginTest, AudienceIssuerAndSubjectBindings) {
  EngineHarness h("jwt");
  ConfigurePem(h, "ES256", {{"bound_issuer", "https://issuer.example"}});
  WriteRole(h, {{"bound_audiences", json::array({"coffer", "other"})}, {"bound_subject", "user-1"}});
  json claims = GoodClaims(h);
  claims["aud"] = json::array({"x", "other"});
  EXPECT_TRUE(Login(h, Key("ES256").Token(claims)).ok());
  claims["aud"] = "nobody";
  ExpectRefused(Login(h, Key("ES256").Token(claims)),
                "audience claim does not match any expected audience");
  claims = GoodClaims(h);
  claims["iss"] = "https://evil.example";
  ExpectRefused(Login(h, Key("ES256").Token(claims)), "issuer");
  claims = GoodClaims(h);
  claims["sub"] = "user-2";
  ExpectRefused(Login(h, Key("ES256").Token(claims)), "subject");

  // A role without audiences refuses a token that has one.
  WriteRole(h, {{"bound_audiences", json::array()}, {"bound_subject", "user-1"}}, "noaud");
  ExpectRefused(Login(h, Key("ES256").Token(GoodClaims(h)), "noaud"),
                "no audiences bound to the role");
  json no_aud = GoodClaims(h);
  no_aud.erase("aud");
  EXPECT_TRUE(Login(h, Key("ES256").Token(no_aud), "noaud").ok());
}

TEST(JwtLoginTest, BoundClaimsMatchStringsGlobsAndNestedClaims) {
  EngineHarness h("jwt");
  ConfigurePem(h, "RS256");
  WriteRole(h, {{"bound_claims", {{"email", json::array({"a@example.com", "b@example.com"})},
                                  {"/k8s/namespace", "prod"}}}});
  json claims = GoodClaims(h);
  EXPECT_TRUE(Login(h, Key("RS256").Token(claims)).ok());
  claims["email"] = "c@example.com";
  ExpectRefused(Login(h, Key("RS256").Token(claims)),
                "claim \"email\" does not match any associated bound claim values");
  claims = GoodClaims(h);
  claims["k8s"]["namespace"] = "dev";
  ExpectRefused(Login(h, Key("RS256").Token(claims)), "claim \"/k8s/namespace\" does not match");
  claims.erase("k8s");
  ExpectRefused(Login(h, Key("RS256").Token(claims)), "claim \"/k8s/namespace\" is missing");

  WriteRole(h, {{"bound_claims", {{"email", "*@example.com"}, {"/k8s/labels", "y"}}},
                {"bound_claims_type", "glob"}},
            "globbed");
  claims = GoodClaims(h);
  EXPECT_TRUE(Login(h, Key("RS256").Token(claims), "globbed").ok());
  claims["email"] = "a@example.org";
  ExpectRefused(Login(h, Key("RS256").Token(claims), "globbed"), "does not match");
}

TEST(JwtLoginTest, UserClaimMustBePresent) {
  EngineHarness h("jwt");
  ConfigurePem(h, "EdDSA");
  WriteRole(h, {{"user_claim", "email"}});
  Result<core::Response> r = Login(h, Key("EdDSA").Token(GoodClaims(h)));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->login->display_name, "a@example.com");
  WriteRole(h, {{"user_claim", "preferred_username"}});
  ExpectRefused(Login(h, Key("EdDSA").Token(GoodClaims(h))),
                "claim \"preferred_username\" not found in token");
}

TEST(JwtLoginTest, DefaultRoleAndUnknownRoles) {
  EngineHarness h("jwt");
  ExpectRefused(Login(h, Key("EdDSA").Token(GoodClaims(h))), "could not load configuration");
  ConfigurePem(h, "EdDSA");
  WriteRole(h);
  ExpectRefused(Login(h, Key("EdDSA").Token(GoodClaims(h)), ""), "missing role");
  ExpectRefused(Login(h, Key("EdDSA").Token(GoodClaims(h)), "nope"), "could not be found");
  ConfigurePem(h, "EdDSA", {{"default_role", "web"}});
  Result<core::Response> r = Login(h, Key("EdDSA").Token(GoodClaims(h)), "");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->login->metadata.at("role"), "web");

  // Lockout counts a login against the role it uses, named or default.
  core::EngineRequest request;
  request.operation = Operation::kUpdate;
  request.path = "login";
  request.data = {{"jwt", "x"}};
  request.storage = &h.storage();
  EXPECT_EQ(h.engine().LoginAlias(request), "web");
  request.data["role"] = "other";
  EXPECT_EQ(h.engine().LoginAlias(request), "other");
}

TEST(JwtLoginTest, KubernetesServiceAccountTokenValidates) {
  EngineHarness h("jwt");
  ConfigurePem(h, "RS256", {{"bound_issuer", "kubernetes/serviceaccount"}});
  WriteRole(h, {{"bound_audiences", json::array()},
                {"bound_subject", "system:serviceaccount:prod:app"},
                {"bound_claims", {{"kubernetes.io/serviceaccount/namespace", "prod"}}},
                {"claim_mappings",
                 {{"kubernetes.io/serviceaccount/service-account.name", "service_account"}}}},
            "k8s");
  // A legacy service-account token's claims (no aud, no exp in very old
  // clusters; coffer, like cap/jwt, insists on exp).
  json claims = {{"iss", "kubernetes/serviceaccount"},
                 {"sub", "system:serviceaccount:prod:app"},
                 {"kubernetes.io/serviceaccount/namespace", "prod"},
                 {"kubernetes.io/serviceaccount/service-account.name", "app"},
                 {"kubernetes.io/serviceaccount/service-account.uid", "9b2c-..."},
                 {"exp", NowSeconds(h) + 3600}};
  Result<core::Response> r = Login(h, Key("RS256").Token(claims, {{"kid", "k1"}}), "k8s");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->login->display_name, "system:serviceaccount:prod:app");
  EXPECT_EQ(r->login->metadata.at("service_account"), "app");
  claims["kubernetes.io/serviceaccount/namespace"] = "dev";
  claims["sub"] = "system:serviceaccount:dev:app";
  ExpectRefused(Login(h, Key("RS256").Token(claims), "k8s"), "subject");
}

// --- config and roles ------------------------------------------------------------

TEST(JwtConfigTest, ExactlyOneValidKeySource) {
  EngineHarness h("jwt");
  EXPECT_EQ(CodeOf(h.Call(Operation::kRead, "config")), Code::kNotFound);
  Result<core::Response> r = h.Call(Operation::kUpdate, "config", {{"bound_issuer", "x"}});
  ExpectRefused(r, "exactly one of");
  r = h.Call(Operation::kUpdate, "config",
             {{"jwt_validation_pubkeys", json::array({Key("RS256").Pem()})},
              {"jwks_url", "http://127.0.0.1:1/jwks"}});
  ExpectRefused(r, "exactly one of");
  r = h.Call(Operation::kUpdate, "config",
             {{"jwt_validation_pubkeys", json::array({"-----BEGIN PUBLIC KEY-----\nAAAA\n"
                                                      "-----END PUBLIC KEY-----\n"})}});
  ExpectRefused(r, "error parsing public key");
  r = h.Call(Operation::kUpdate, "config",
             {{"jwt_validation_pubkeys", json::array({Key("RS256").Pem()})},
              {"jwt_supported_algs", json::array({"HS256"})}});
  ExpectRefused(r, "unsupported signing algorithm");
  // A remote source is fetched on write; nothing listens on port 1.
  ExpectRefused(h.Call(Operation::kUpdate, "config", {{"jwks_url", "http://127.0.0.1:1/jwks"}}),
                "error checking jwks URL");

  ConfigurePem(h, "RS256", {{"bound_issuer", "iss"}, {"default_role", "web"}});
  json read = h.MustCall(Operation::kRead, "config");
  // String lists are trimmed, as Vault's field parsing does.
  std::string pem = Key("RS256").Pem();
  pem.pop_back();
  EXPECT_EQ(read["jwt_validation_pubkeys"], json::array({pem}));
  EXPECT_EQ(read["bound_issuer"], "iss");
  EXPECT_EQ(read["default_role"], "web");
  EXPECT_EQ(read["jwks_url"], "");
}

TEST(JwtRoleTest, CrudListAndValidation) {
  EngineHarness h("jwt");
  EXPECT_EQ(CodeOf(h.Call(Operation::kList, "role")), Code::kNotFound);
  WriteRole(h, {{"bound_claims", {{"team", json::array({"a", "b"})}}},
                {"token_ttl", "1h"},
                {"groups_claim", "groups"}});
  WriteRole(h, json::object(), "other");
  json role = h.MustCall(Operation::kRead, "role/web");
  EXPECT_EQ(role["role_type"], "jwt");
  EXPECT_EQ(role["bound_audiences"], json::array({"coffer"}));
  EXPECT_EQ(role["bound_claims"], json({{"team", json::array({"a", "b"})}}));
  EXPECT_EQ(role["bound_claims_type"], "string");
  EXPECT_EQ(role["user_claim"], "sub");
  EXPECT_EQ(role["groups_claim"], "groups");
  EXPECT_EQ(role["clock_skew_leeway"], 60);
  EXPECT_EQ(role["expiration_leeway"], 150);
  EXPECT_EQ(role["not_before_leeway"], 150);
  EXPECT_EQ(role["token_ttl"], 3600);
  EXPECT_EQ(role["token_policies"], json::array({"dev"}));
  EXPECT_EQ(h.MustCall(Operation::kList, "role")["keys"], json::array({"other", "web"}));

  // An update keeps what it does not name.
  h.MustCall(Operation::kUpdate, "role/web", {{"bound_subject", "s"}});
  role = h.MustCall(Operation::kRead, "role/web");
  EXPECT_EQ(role["bound_subject"], "s");
  EXPECT_EQ(role["token_ttl"], 3600);

  ExpectRefused(h.Call(Operation::kUpdate, "role/x", {{"role_type", "oidc"}, {"bound_subject", "s"}}),
                "only \"jwt\"");
  ExpectRefused(h.Call(Operation::kUpdate, "role/x", {{"user_claim", "sub"}}),
                "at least one bound constraint");
  ExpectRefused(h.Call(Operation::kUpdate, "role/x",
                       {{"bound_subject", "s"}, {"bound_claims_type", "regex"}}),
                "bound_claims_type");
  ExpectRefused(h.Call(Operation::kUpdate, "role/x",
                       {{"bound_subject", "s"}, {"bound_claims", {{"n", 1}}}}),
                "not a string or a list");
  ExpectRefused(h.Call(Operation::kUpdate, "role/x",
                       {{"bound_subject", "s"}, {"claim_mappings", {{"a", "role"}}}}),
                "reserved");
  ExpectRefused(h.Call(Operation::kUpdate, "role/x", {{"bound_subject", "s"}, {"user_claim", ""}}),
                "user claim");
  EXPECT_EQ(CodeOf(h.Call(Operation::kRead, "role/x")), Code::kNotFound);

  h.MustCall(Operation::kDelete, "role/web");
  EXPECT_EQ(CodeOf(h.Call(Operation::kRead, "role/web")), Code::kNotFound);
  EXPECT_EQ(h.MustCall(Operation::kList, "role")["keys"], json::array({"other"}));
}

TEST(JwtRoleTest, OidcTypeIsTheSameEngine) {
  EngineHarness h("oidc");
  EXPECT_EQ(h.engine().Type(), "oidc");
  EXPECT_TRUE(h.engine().IsLoginPath("login"));
  EXPECT_FALSE(h.engine().IsLoginPath("role/web"));
}

// --- remote key sources (fake fetcher) -------------------------------------------

// A JWKS "server": url → body, counting fetches.
struct FakeWeb {
  std::map<std::string, std::string> pages;
  int fetches = 0;
};

class RemoteKeysTest : public ::testing::Test {
 protected:
  RemoteKeysTest() {
    Result<std::unique_ptr<storage::Backend>> backend = storage::OpenBackend("inmem", {});
    storage_ = std::move(backend).value();
    web_ = std::make_shared<FakeWeb>();
    std::shared_ptr<FakeWeb> web = web_;
    engine_ = auth::jwt::NewJwtBackend(
                  "jwt",
                  [web](const std::string& url, const std::string&) -> Result<std::string> {
                    ++web->fetches;
                    auto it = web->pages.find(url);
                    if (it == web->pages.end()) {
                      return Status::InvalidArgument("error fetching " + url + ": HTTP 404");
                    }
                    return it->second;
                  })
                  .value();
  }

  Result<core::Response> Call(Operation op, const std::string& path, json data) {
    core::EngineRequest request;
    request.operation = op;
    request.path = path;
    request.data = std::move(data);
    request.storage = storage_.get();
    request.mount_point = "auth/jwt/";
    request.remote_address = "127.0.0.1";
    request.clock = &clock_;
    return engine_->Handle(request);
  }

  std::string Token(const std::string& alg, const std::string& kid) {
    const int64_t now =
        std::chrono::duration_cast<std::chrono::seconds>(clock_.Now().time_since_epoch()).count();
    return Key(alg).Token({{"sub", "svc"}, {"aud", "coffer"}, {"exp", now + 60}},
                          {{"kid", kid}});
  }

  void SetUpRole() {
    ASSERT_TRUE(Call(Operation::kUpdate, "role/web", {{"bound_audiences", "coffer"}}).ok());
  }

  FakeClock clock_;
  std::unique_ptr<storage::Backend> storage_;
  std::shared_ptr<FakeWeb> web_;
  std::unique_ptr<core::Engine> engine_;
};

TEST_F(RemoteKeysTest, JwksUrlKeysAreCachedAndRefetchedForUnknownKid) {
  web_->pages["https://idp/jwks"] = json{{"keys", json::array({Key("RS256").Jwk("r1")})}}.dump();
  ASSERT_TRUE(Call(Operation::kUpdate, "config", {{"jwks_url", "https://idp/jwks"}}).ok());
  EXPECT_EQ(web_->fetches, 1);
  SetUpRole();
  EXPECT_TRUE(Call(Operation::kUpdate, "login", {{"role", "web"}, {"jwt", Token("RS256", "r1")}}).ok());
  EXPECT_EQ(web_->fetches, 1);  // cached

  // Rotation: a new kid is fetched once.
  web_->pages["https://idp/jwks"] =
      json{{"keys", json::array({Key("RS256").Jwk("r1"), Key("ES256").Jwk("e2")})}}.dump();
  Result<core::Response> r =
      Call(Operation::kUpdate, "login", {{"role", "web"}, {"jwt", Token("ES256", "e2")}});
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(web_->fetches, 2);
  r = Call(Operation::kUpdate, "login", {{"role", "web"}, {"jwt", Token("EdDSA", "unknown")}});
  ExpectRefused(r, "no key with kid");
  EXPECT_EQ(web_->fetches, 3);  // one refetch per login, no more

  // A provider that disappears: a 400, never a 5xx.
  web_->pages.clear();
  r = Call(Operation::kUpdate, "login", {{"role", "web"}, {"jwt", Token("EdDSA", "gone")}});
  ExpectRefused(r, "error fetching");
}

TEST_F(RemoteKeysTest, OidcDiscoveryFindsTheJwksUri) {
  web_->pages["https://idp/.well-known/openid-configuration"] =
      json{{"issuer", "https://idp"}, {"jwks_uri", "https://idp/keys"}}.dump();
  web_->pages["https://idp/keys"] = json{{"keys", json::array({Key("EdDSA").Jwk("o")})}}.dump();
  Result<core::Response> r =
      Call(Operation::kUpdate, "config", {{"oidc_discovery_url", "https://idp/"}});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  SetUpRole();
  r = Call(Operation::kUpdate, "login", {{"role", "web"}, {"jwt", Token("EdDSA", "o")}});
  EXPECT_TRUE(r.ok()) << r.status().ToString();

  ExpectRefused(Call(Operation::kUpdate, "config", {{"oidc_discovery_url", "https://nowhere"}}),
                "error checking oidc discovery URL");
  web_->pages["https://bad/.well-known/openid-configuration"] = "{}";
  ExpectRefused(Call(Operation::kUpdate, "config", {{"oidc_discovery_url", "https://bad"}}),
                "jwks_uri");
}

}  // namespace
}  // namespace coffer::engines::testing
