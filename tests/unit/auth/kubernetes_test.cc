// kubernetes: config and roles, the TokenReview parsing and the login's
// checks, against a fake TokenReviewer (the HTTP one is exercised by the
// integration test and, for an unreachable server, here).
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "auth/kubernetes/jwt_claims.h"
#include "auth/kubernetes/kubernetes_backend.h"
#include "auth/kubernetes/role_entry.h"
#include "auth/kubernetes/token_review.h"
#include "base/encoding.h"
#include "engines/engine_harness.h"

namespace coffer::engines::testing {
namespace {

using auth::kubernetes::BindingAllows;
using auth::kubernetes::GlobMatches;
using auth::kubernetes::ParseServiceAccountUsername;
using auth::kubernetes::ParseTokenReviewResponse;
using auth::kubernetes::ParseUnverifiedClaims;
using auth::kubernetes::ReviewedServiceAccount;
using auth::kubernetes::ServiceAccountClaims;
using auth::kubernetes::TokenReviewer;
using auth::kubernetes::TokenReviewRequest;
using core::Operation;
using nlohmann::json;

constexpr const char* kCaPem = R"(-----BEGIN CERTIFICATE-----
MIIBgzCCASmgAwIBAgIUHGLxu7Nj097CydOqC5XEp73gdEQwCgYIKoZIzj0EAwIw
FjEUMBIGA1UEAwwLazhzLXRlc3QtY2EwIBcNMjYxMTIzMTMwNTM3WhgPMjEyNjEw
MzAxMzA1MzdaMBYxFDASBgNVBAMMC2s4cy10ZXN0LWNhMFkwEwYHKoZIzj0CAQYI
KoZIzj0DAQcDQgAERB/zUxBfdw+N1WP0cjN+mNeumaHT/GpJbamfbbo8Sa9DABWm
Hi6Oe1/d+y1Hb6kEx1f4Bb0/rHhO6UnjIKJko6NTMFEwHQYDVR0OBBYEFO47cSJn
WioDkZPXMl0jeb4j8vUyMB8GA1UdIwQYMBaAFO47cSJnWioDkZPXMl0jeb4j8vUy
MA8GA1UdEwEB/wQFMAMBAf8wCgYIKoZIzj0EAwIDSAAwRQIhAMac6evvHaj2vU6z
BULuUt6fMV+DCbRsQDiMYuDRe6OqAiA8Wipb5AUad85iSskjMu5Sv88CXmmR7IWI
XzFnKrsOEA==
-----END CERTIFICATE-----
)";

constexpr const char* kPublicKeyPem = R"(-----BEGIN PUBLIC KEY-----
MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAERB/zUxBfdw+N1WP0cjN+mNeumaHT
/GpJbamfbbo8Sa9DABWmHi6Oe1/d+y1Hb6kEx1f4Bb0/rHhO6UnjIKJkow==
-----END PUBLIC KEY-----
)";

constexpr const char* kNoLocalDir = "/nonexistent/coffer-kubernetes-test";

std::string Base64Url(const std::string& bytes) {
  std::string out = Base64Encode(bytes);
  for (char& c : out) {
    if (c == '+') {
      c = '-';
    } else if (c == '/') {
      c = '_';
    }
  }
  while (!out.empty() && out.back() == '=') {
    out.pop_back();
  }
  return out;
}

// MakeJwt is an unsigned compact JWS with `claims` as its payload.
std::string MakeJwt(const json& claims) {
  return Base64Url(R"({"alg":"RS256","kid":"k"})") + "." + Base64Url(claims.dump()) + ".c2ln";
}

// A JWT with projected service account claims.
std::string ServiceAccountJwt(const std::string& ns, const std::string& name,
                              const std::string& uid) {
  return MakeJwt({{"iss", "https://kubernetes.default.svc"},
                  {"kubernetes.io",
                   {{"namespace", ns}, {"serviceaccount", {{"name", name}, {"uid", uid}}}}}});
}

// FakeReviewer answers from a table keyed by the reviewed JWT and records
// what it was asked.
class FakeReviewer : public TokenReviewer {
 public:
  Result<ReviewedServiceAccount> Review(const TokenReviewRequest& request) const override {
    std::lock_guard lock(mu_);
    ++calls_;
    last_ = request;
    auto it = answers_.find(request.jwt);
    if (it == answers_.end()) {
      return Status::PermissionDenied("permission denied");
    }
    return it->second;
  }

  void Answer(const std::string& jwt, Result<ReviewedServiceAccount> answer) {
    std::lock_guard lock(mu_);
    answers_.insert_or_assign(jwt, std::move(answer));
  }
  int calls() const {
    std::lock_guard lock(mu_);
    return calls_;
  }
  TokenReviewRequest last() const {
    std::lock_guard lock(mu_);
    return last_;
  }

 private:
  mutable std::mutex mu_;
  std::map<std::string, Result<ReviewedServiceAccount>> answers_;
  mutable int calls_ = 0;
  mutable TokenReviewRequest last_;
};

ReviewedServiceAccount Account(const std::string& ns, const std::string& name,
                               const std::string& uid,
                               std::vector<std::string> audiences = {}) {
  return ReviewedServiceAccount{name, ns, uid, std::move(audiences)};
}

// K8sHarness is EngineHarness for an engine built with a fake reviewer.
class K8sHarness {
 public:
  explicit K8sHarness(std::string local_dir = kNoLocalDir)
      : reviewer_(std::make_shared<FakeReviewer>()) {
    Result<std::unique_ptr<storage::Backend>> backend = storage::OpenBackend("inmem", {});
    EXPECT_TRUE(backend.ok());
    storage_ = std::move(backend).value();
    Result<std::unique_ptr<core::Engine>> engine =
        auth::kubernetes::CreateKubernetesBackend(reviewer_, std::move(local_dir));
    EXPECT_TRUE(engine.ok()) << engine.status().ToString();
    engine_ = std::move(engine).value();
  }

  core::EngineRequest Make(Operation op, const std::string& path, json data) {
    core::EngineRequest request;
    request.operation = op;
    request.path = path;
    request.data = std::move(data);
    request.storage = storage_.get();
    request.mount_point = "auth/kubernetes/";
    request.remote_address = "127.0.0.1";
    request.clock = &clock_;
    return request;
  }
  Result<core::Response> Call(Operation op, const std::string& path, json data = json::object()) {
    return engine_->Handle(Make(op, path, std::move(data)));
  }
  json MustCall(Operation op, const std::string& path, json data = json::object()) {
    Result<core::Response> r = Call(op, path, std::move(data));
    EXPECT_TRUE(r.ok()) << path << ": " << r.status().ToString();
    return r.ok() ? r->data : json();
  }
  Result<core::Response> Login(const std::string& role, const std::string& jwt) {
    return Call(Operation::kUpdate, "login", {{"role", role}, {"jwt", jwt}});
  }

  // Configure writes a config with a reviewer JWT and the "app"/"prod" role.
  void Configure(json role_extra = json::object()) {
    MustCall(Operation::kUpdate, "config",
             {{"kubernetes_host", "https://10.0.0.1:6443"},
              {"kubernetes_ca_cert", kCaPem},
              {"token_reviewer_jwt", "reviewer-jwt"}});
    json role = {{"bound_service_account_names", "app"},
                 {"bound_service_account_namespaces", "prod"},
                 {"token_policies", "read-allowed"},
                 {"token_ttl", "1h"}};
    role.update(role_extra);
    MustCall(Operation::kUpdate, "role/web", role);
  }

  FakeReviewer& reviewer() { return *reviewer_; }
  core::Engine& engine() { return *engine_; }
  storage::Backend& storage() { return *storage_; }

 private:
  FakeClock clock_;
  std::shared_ptr<FakeReviewer> reviewer_;
  std::unique_ptr<storage::Backend> storage_;
  std::unique_ptr<core::Engine> engine_;
};

// --- registration and config ------------------------------------------------

TEST(KubernetesConfigTest, RegisteredAsKubernetes) {
  EngineHarness h("kubernetes");
  EXPECT_EQ(h.engine().Type(), "kubernetes");
  EXPECT_TRUE(h.engine().IsLoginPath("login"));
  EXPECT_FALSE(h.engine().IsLoginPath("config"));
  EXPECT_FALSE(h.engine().IsLoginPath("role/web"));
}

TEST(KubernetesConfigTest, WriteThenReadHidesTheReviewerJwt) {
  K8sHarness h;
  EXPECT_FALSE(h.engine().Exists(h.Make(Operation::kCreate, "config", json::object())).value());
  h.MustCall(Operation::kCreate, "config",
             {{"kubernetes_host", "https://k8s.example.com:443"},
              {"kubernetes_ca_cert", kCaPem},
              {"token_reviewer_jwt", "secret-reviewer-jwt"},
              {"pem_keys", json::array({kPublicKeyPem, kCaPem})},
              {"issuer", "https://kubernetes.default.svc"}});
  EXPECT_TRUE(h.engine().Exists(h.Make(Operation::kCreate, "config", json::object())).value());
  json read = h.MustCall(Operation::kRead, "config");
  EXPECT_EQ(read["kubernetes_host"], "https://k8s.example.com:443");
  EXPECT_EQ(read["kubernetes_ca_cert"], kCaPem);
  // A comma-string slice trims its items (as Vault's does); PEM needs no
  // trailing newline.
  ASSERT_EQ(read["pem_keys"].size(), 2u);
  EXPECT_EQ(read["pem_keys"][0].get<std::string>() + "\n", kPublicKeyPem);
  EXPECT_EQ(read["pem_keys"][1].get<std::string>() + "\n", kCaPem);
  EXPECT_EQ(read["issuer"], "https://kubernetes.default.svc");
  EXPECT_EQ(read["disable_iss_validation"], true);
  EXPECT_EQ(read["disable_local_ca_jwt"], false);
  EXPECT_FALSE(read.contains("token_reviewer_jwt"));
  EXPECT_EQ(read.dump().find("secret-reviewer-jwt"), std::string::npos);
}

TEST(KubernetesConfigTest, ReadWithoutConfigIsNotFound) {
  K8sHarness h;
  EXPECT_EQ(CodeOf(h.Call(Operation::kRead, "config")), Code::kNotFound);
}

TEST(KubernetesConfigTest, BadConfigIsRefusedAndStoresNothing) {
  K8sHarness h;
  struct Case {
    json body;
    std::string message_part;
  };
  for (const Case& c : std::vector<Case>{
           {json::object(), "no host provided"},
           {{{"kubernetes_host", ""}}, "no host provided"},
           {{{"kubernetes_host", "k8s.example.com"}}, "kubernetes_host"},
           {{{"kubernetes_host", "https://"}}, "kubernetes_host"},
           {{{"kubernetes_host", "https://h:99999"}}, "kubernetes_host"},
           {{{"kubernetes_host", "https://h:6443"}, {"kubernetes_ca_cert", "not a pem"}},
            "kubernetes_ca_cert"},
           {{{"kubernetes_host", "https://h:6443"},
             {"kubernetes_ca_cert",
              "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"}},
            "kubernetes_ca_cert"},
           {{{"kubernetes_host", "https://h:6443"}, {"pem_keys", json::array({"garbage"})}},
            "pem_keys"},
       }) {
    Result<core::Response> r = h.Call(Operation::kUpdate, "config", c.body);
    EXPECT_EQ(CodeOf(r), Code::kInvalidArgument) << c.body.dump();
    EXPECT_NE(r.status().message().find(c.message_part), std::string::npos)
        << r.status().message();
  }
  EXPECT_EQ(CodeOf(h.Call(Operation::kRead, "config")), Code::kNotFound);
}

TEST(KubernetesConfigTest, WriteReplacesTheWholeConfig) {
  K8sHarness h;
  h.MustCall(Operation::kUpdate, "config",
             {{"kubernetes_host", "https://a:1"}, {"issuer", "x"}, {"disable_local_ca_jwt", true}});
  h.MustCall(Operation::kUpdate, "config", {{"kubernetes_host", "https://b:2"}});
  json read = h.MustCall(Operation::kRead, "config");
  EXPECT_EQ(read["kubernetes_host"], "https://b:2");
  EXPECT_EQ(read["issuer"], "");
  EXPECT_EQ(read["disable_local_ca_jwt"], false);
  EXPECT_EQ(read["kubernetes_ca_cert"], "");
}

// --- roles ------------------------------------------------------------------

TEST(KubernetesRoleTest, CreateReadListUpdateDelete) {
  K8sHarness h;
  EXPECT_FALSE(h.engine().Exists(h.Make(Operation::kCreate, "role/web", json::object())).value());
  h.MustCall(Operation::kCreate, "role/web",
             {{"bound_service_account_names", "app,worker"},
              {"bound_service_account_namespaces", json::array({"prod", "team-*"})},
              {"audience", "vault"},
              {"token_policies", "dev"},
              {"token_ttl", "1h"}});
  h.MustCall(Operation::kCreate, "role/other",
             {{"bound_service_account_names", "*"}, {"bound_service_account_namespaces", "*"}});
  EXPECT_TRUE(h.engine().Exists(h.Make(Operation::kCreate, "role/web", json::object())).value());

  json web = h.MustCall(Operation::kRead, "role/web");
  EXPECT_EQ(web["bound_service_account_names"], json({"app", "worker"}));
  EXPECT_EQ(web["bound_service_account_namespaces"], json({"prod", "team-*"}));
  EXPECT_EQ(web["audience"], "vault");
  EXPECT_EQ(web["alias_name_source"], "serviceaccount_uid");
  EXPECT_EQ(web["token_policies"], json({"dev"}));
  EXPECT_EQ(web["token_ttl"], 3600);
  json other = h.MustCall(Operation::kRead, "role/other");
  EXPECT_FALSE(other.contains("audience"));
  EXPECT_EQ(other["bound_service_account_names"], json({"*"}));

  EXPECT_EQ(h.MustCall(Operation::kList, "role"), json({{"keys", {"other", "web"}}}));
  EXPECT_EQ(h.MustCall(Operation::kList, "role/"), json({{"keys", {"other", "web"}}}));

  // An update changes only what it names.
  h.MustCall(Operation::kUpdate, "role/web",
             {{"token_max_ttl", "2h"}, {"alias_name_source", "serviceaccount_name"}});
  web = h.MustCall(Operation::kRead, "role/web");
  EXPECT_EQ(web["bound_service_account_names"], json({"app", "worker"}));
  EXPECT_EQ(web["token_policies"], json({"dev"}));
  EXPECT_EQ(web["token_max_ttl"], 7200);
  EXPECT_EQ(web["alias_name_source"], "serviceaccount_name");

  h.MustCall(Operation::kDelete, "role/web");
  EXPECT_EQ(CodeOf(h.Call(Operation::kRead, "role/web")), Code::kNotFound);
  h.MustCall(Operation::kDelete, "role/other");
  EXPECT_EQ(CodeOf(h.Call(Operation::kList, "role")), Code::kNotFound);
  h.MustCall(Operation::kDelete, "role/nobody");
}

TEST(KubernetesRoleTest, BadRolesAreRefusedAndStoreNothing) {
  K8sHarness h;
  struct Case {
    json body;
    std::string message_part;
  };
  for (const Case& c : std::vector<Case>{
           {{{"bound_service_account_namespaces", "prod"}}, "bound_service_account_names"},
           {{{"bound_service_account_names", "app"}}, "bound_service_account_namespaces"},
           {{{"bound_service_account_names", ""}, {"bound_service_account_namespaces", "prod"}},
            "bound_service_account_names"},
           {{{"bound_service_account_names", "*,app"}, {"bound_service_account_namespaces", "p"}},
            "can not mix"},
           {{{"bound_service_account_names", "app"}, {"bound_service_account_namespaces", "*,p"}},
            "can not mix"},
           {{{"bound_service_account_names", "app"},
             {"bound_service_account_namespaces", "p"},
             {"alias_name_source", "bogus"}},
            "alias_name_source"},
           {{{"bound_service_account_names", "app"},
             {"bound_service_account_namespaces", "p"},
             {"token_type", "bogus"}},
            "token_type"},
       }) {
    Result<core::Response> r = h.Call(Operation::kCreate, "role/web", c.body);
    EXPECT_EQ(CodeOf(r), Code::kInvalidArgument) << c.body.dump();
    EXPECT_NE(r.status().message().find(c.message_part), std::string::npos)
        << r.status().message();
  }
  EXPECT_EQ(CodeOf(h.Call(Operation::kList, "role")), Code::kNotFound);

  // Nor may an update empty a binding.
  h.MustCall(Operation::kCreate, "role/web",
             {{"bound_service_account_names", "app"}, {"bound_service_account_namespaces", "p"}});
  EXPECT_EQ(CodeOf(h.Call(Operation::kUpdate, "role/web", {{"bound_service_account_names", ""}})),
            Code::kInvalidArgument);
  EXPECT_EQ(h.MustCall(Operation::kRead, "role/web")["bound_service_account_names"],
            json({"app"}));
}

// --- bindings -------------------------------------------------------------

TEST(KubernetesBindingTest, GlobsMatchAsVaultDoes) {
  EXPECT_TRUE(GlobMatches("*", "anything"));
  EXPECT_TRUE(GlobMatches("*", ""));
  EXPECT_TRUE(GlobMatches("prod", "prod"));
  EXPECT_FALSE(GlobMatches("prod", "prod2"));
  EXPECT_FALSE(GlobMatches("prod", "pro"));
  EXPECT_TRUE(GlobMatches("team-*", "team-a"));
  EXPECT_TRUE(GlobMatches("team-*", "team-"));
  EXPECT_FALSE(GlobMatches("team-*", "xteam-a"));
  EXPECT_TRUE(GlobMatches("*-prod", "web-prod"));
  EXPECT_FALSE(GlobMatches("*-prod", "web-prod2"));
  EXPECT_TRUE(GlobMatches("*mid*", "a-mid-b"));
  EXPECT_FALSE(GlobMatches("*mid*", "a-mi-d"));
  EXPECT_FALSE(GlobMatches("a", ""));
}

TEST(KubernetesBindingTest, BindingAllowsAnyMatchingEntry) {
  EXPECT_TRUE(BindingAllows({"prod", "team-*"}, "team-x"));
  EXPECT_TRUE(BindingAllows({"prod", "team-*"}, "prod"));
  EXPECT_FALSE(BindingAllows({"prod", "team-*"}, "dev"));
  EXPECT_FALSE(BindingAllows({}, "prod"));
  EXPECT_TRUE(BindingAllows({"*"}, "kube-system"));
}

// --- TokenReview parsing ----------------------------------------------------

TEST(KubernetesTokenReviewTest, UsernameIsParsedIntoNamespaceAndName) {
  std::string ns, name;
  ASSERT_TRUE(ParseServiceAccountUsername("system:serviceaccount:prod:app", &ns, &name).ok());
  EXPECT_EQ(ns, "prod");
  EXPECT_EQ(name, "app");
  for (const char* bad :
       {"", "alice", "system:serviceaccount:prod", "system:serviceaccount:prod:app:x",
        "system:serviceaccount::app", "system:serviceaccount:prod:", "system:node:prod:app",
        "user:serviceaccount:prod:app"}) {
    Status s = ParseServiceAccountUsername(bad, &ns, &name);
    EXPECT_EQ(s.code(), Code::kPermissionDenied) << bad;
    EXPECT_EQ(s.message().rfind("lookup failed: ", 0), 0u) << s.message();
  }
}

TEST(KubernetesTokenReviewTest, AuthenticatedReviewNamesTheServiceAccount) {
  json body = {{"kind", "TokenReview"},
               {"status",
                {{"authenticated", true},
                 {"user", {{"username", "system:serviceaccount:prod:app"}, {"uid", "u-1"}}},
                 {"audiences", {"vault", "api"}}}}};
  Result<ReviewedServiceAccount> r = ParseTokenReviewResponse(201, body);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->name, "app");
  EXPECT_EQ(r->namespace_name, "prod");
  EXPECT_EQ(r->uid, "u-1");
  EXPECT_EQ(r->audiences, (std::vector<std::string>{"vault", "api"}));
}

TEST(KubernetesTokenReviewTest, UnauthenticatedReviewIsPermissionDenied) {
  for (const json& status : {json{{"authenticated", false}}, json::object(),
                             json{{"authenticated", "true"}}}) {
    Result<ReviewedServiceAccount> r = ParseTokenReviewResponse(200, {{"status", status}});
    EXPECT_EQ(CodeOf(r), Code::kPermissionDenied) << status.dump();
    EXPECT_EQ(r.status().message(), "permission denied");
  }
}

TEST(KubernetesTokenReviewTest, MalformedOrFailedReviewsAreLookupFailures) {
  struct Case {
    int http;
    json body;
    std::string message_part;
  };
  for (const Case& c : std::vector<Case>{
           {200, json(), "malformed"},
           {200, json::array(), "malformed"},
           {200, json{{"kind", "TokenReview"}}, "no status"},
           {200, json{{"status", "yes"}}, "no status"},
           {200, json{{"status", {{"authenticated", true}}}}, "no user"},
           {200, json{{"status", {{"authenticated", true}, {"user", {{"username", 5}}}}}},
            "unexpected username format"},
           {200,
            json{{"status",
                  {{"authenticated", true},
                   {"user", {{"username", "system:serviceaccount:p:a"}}},
                   {"audiences", "vault"}}}},
            "audiences"},
           {200, json{{"status", {{"error", "token expired"}, {"authenticated", false}}}},
            "token expired"},
           {401, json{{"message", "Unauthorized"}}, "service account unauthorized"},
           {403, json{{"kind", "Status"}, {"message", "tokenreviews is forbidden"}},
            "403: tokenreviews is forbidden"},
           {500, json(), "HTTP 500"},
       }) {
    Result<ReviewedServiceAccount> r = ParseTokenReviewResponse(c.http, c.body);
    EXPECT_EQ(CodeOf(r), Code::kPermissionDenied) << c.body.dump();
    EXPECT_EQ(r.status().message().rfind("lookup failed: ", 0), 0u) << r.status().message();
    EXPECT_NE(r.status().message().find(c.message_part), std::string::npos)
        << r.status().message();
  }
}

TEST(KubernetesTokenReviewTest, RequestBodyCarriesTokenAndAudiences) {
  json body = auth::kubernetes::TokenReviewBody("the-jwt", {});
  EXPECT_EQ(body, json({{"apiVersion", "authentication.k8s.io/v1"},
                        {"kind", "TokenReview"},
                        {"spec", {{"token", "the-jwt"}}}}));
  body = auth::kubernetes::TokenReviewBody("the-jwt", {"vault"});
  EXPECT_EQ(body["spec"]["audiences"], json({"vault"}));
}

TEST(KubernetesTokenReviewTest, HostSplitsIntoOriginAndPrefix) {
  std::string origin, prefix;
  auth::kubernetes::SplitHost("https://h:6443", &origin, &prefix);
  EXPECT_EQ(origin, "https://h:6443");
  EXPECT_EQ(prefix, "");
  auth::kubernetes::SplitHost("https://h:6443/", &origin, &prefix);
  EXPECT_EQ(origin, "https://h:6443");
  EXPECT_EQ(prefix, "");
  auth::kubernetes::SplitHost("https://h/k8s/api/", &origin, &prefix);
  EXPECT_EQ(origin, "https://h");
  EXPECT_EQ(prefix, "/k8s/api");
}

TEST(KubernetesTokenReviewTest, UnreachableApiServerIsUnavailableQuickly) {
  auth::kubernetes::HttpTokenReviewer reviewer(std::chrono::seconds(5));
  TokenReviewRequest request;
  request.host = "https://127.0.0.1:1";  // nothing listens on port 1
  request.ca_cert_pem = kCaPem;
  request.reviewer_jwt = "reviewer-secret";
  request.jwt = "client-secret";
  const auto start = std::chrono::steady_clock::now();
  Result<ReviewedServiceAccount> r = reviewer.Review(request);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(6));
  EXPECT_EQ(CodeOf(r), Code::kUnavailable);
  EXPECT_NE(r.status().message().find("could not be reached"), std::string::npos)
      << r.status().message();
  EXPECT_EQ(r.status().message().find("secret"), std::string::npos) << r.status().message();
}

// --- JWT claims -------------------------------------------------------------

TEST(KubernetesJwtTest, ProjectedAndLegacyClaimsAreRead) {
  Result<ServiceAccountClaims> projected =
      ParseUnverifiedClaims(ServiceAccountJwt("prod", "app", "u-1"));
  ASSERT_TRUE(projected.ok()) << projected.status().ToString();
  EXPECT_EQ(projected->namespace_name, "prod");
  EXPECT_EQ(projected->name, "app");
  EXPECT_EQ(projected->uid, "u-1");

  Result<ServiceAccountClaims> legacy =
      ParseUnverifiedClaims(MakeJwt({{"kubernetes.io/serviceaccount/namespace", "dev"},
                                     {"kubernetes.io/serviceaccount/service-account.name", "w"},
                                     {"kubernetes.io/serviceaccount/service-account.uid", "u"},
                                     {"kubernetes.io/serviceaccount/secret.name", "w-token"}}));
  ASSERT_TRUE(legacy.ok());
  EXPECT_EQ(legacy->namespace_name, "dev");
  EXPECT_EQ(legacy->name, "w");
  EXPECT_EQ(legacy->uid, "u");

  Result<ServiceAccountClaims> none = ParseUnverifiedClaims(MakeJwt({{"sub", "x"}}));
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->name.has_value());
  EXPECT_FALSE(none->namespace_name.has_value());
}

TEST(KubernetesJwtTest, MalformedJwtsAreRefusedWithoutEchoingThem) {
  const std::string header = Base64Url(R"({"alg":"none"})");
  for (const std::string& bad :
       {std::string("not-a-jwt-secret"), std::string("a.b"), std::string("a.b.c.d"),
        header + ".!!!secret.sig", header + "." + Base64Url("[1,2]") + ".sig",
        header + "." + Base64Url("not json secret") + ".sig",
        header + "." + std::string(auth::kubernetes::kMaxJwtLength, 'A') + ".sig"}) {
    Result<ServiceAccountClaims> r = ParseUnverifiedClaims(bad);
    EXPECT_EQ(CodeOf(r), Code::kInvalidArgument) << bad.substr(0, 40);
    EXPECT_EQ(r.status().message().rfind("failed to parse JWT", 0), 0u);
    EXPECT_EQ(r.status().message().find("secret"), std::string::npos);
  }
}

TEST(KubernetesJwtTest, Base64UrlDecodesWithAndWithoutPadding) {
  EXPECT_EQ(auth::kubernetes::Base64UrlDecode("YQ"), "a");
  EXPECT_EQ(auth::kubernetes::Base64UrlDecode("YQ=="), "a");
  EXPECT_EQ(auth::kubernetes::Base64UrlDecode("-_8"), std::string("\xfb\xff"));
  EXPECT_FALSE(auth::kubernetes::Base64UrlDecode("+/8").has_value());
  EXPECT_FALSE(auth::kubernetes::Base64UrlDecode("Y").has_value());
}

// --- login ------------------------------------------------------------------

TEST(KubernetesLoginTest, ReviewedServiceAccountGetsTheRolesToken) {
  K8sHarness h;
  h.Configure({{"audience", "vault"}});
  const std::string jwt = ServiceAccountJwt("prod", "app", "uid-1");
  h.reviewer().Answer(jwt, Account("prod", "app", "uid-1", {"vault"}));

  Result<core::Response> r = h.Login("web", jwt);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_TRUE(r->login.has_value());
  const core::LoginGrant& grant = *r->login;
  EXPECT_EQ(grant.display_name, "prod-app");
  EXPECT_EQ(grant.metadata, (std::map<std::string, std::string>{
                                {"service_account_name", "app"},
                                {"service_account_namespace", "prod"},
                                {"service_account_uid", "uid-1"},
                                {"service_account_secret_name", ""},
                                {"role", "web"}}));
  EXPECT_EQ(grant.token.policies, std::vector<std::string>{"read-allowed"});
  EXPECT_EQ(grant.token.ttl, 3600);
  EXPECT_TRUE(grant.renewable);

  TokenReviewRequest asked = h.reviewer().last();
  EXPECT_EQ(asked.host, "https://10.0.0.1:6443");
  EXPECT_EQ(asked.ca_cert_pem, kCaPem);
  EXPECT_EQ(asked.reviewer_jwt, "reviewer-jwt");
  EXPECT_EQ(asked.jwt, jwt);
  EXPECT_EQ(asked.audiences, std::vector<std::string>{"vault"});
}

TEST(KubernetesLoginTest, LoginAliasIsTheRole) {
  K8sHarness h;
  EXPECT_EQ(h.engine().LoginAlias(h.Make(Operation::kUpdate, "login",
                                         {{"role", "web"}, {"jwt", "x"}})),
            "web");
}

TEST(KubernetesLoginTest, WithoutReviewerJwtTheClientsJwtReviewsItself) {
  K8sHarness h;
  h.MustCall(Operation::kUpdate, "config", {{"kubernetes_host", "https://10.0.0.1:6443"}});
  h.MustCall(Operation::kUpdate, "role/web",
             {{"bound_service_account_names", "app"},
              {"bound_service_account_namespaces", "prod"}});
  const std::string jwt = ServiceAccountJwt("prod", "app", "uid-1");
  h.reviewer().Answer(jwt, Account("prod", "app", "uid-1"));
  ASSERT_TRUE(h.Login("web", jwt).ok());
  EXPECT_EQ(h.reviewer().last().reviewer_jwt, jwt);
  EXPECT_EQ(h.reviewer().last().ca_cert_pem, "");
  EXPECT_TRUE(h.reviewer().last().audiences.empty());
}

TEST(KubernetesLoginTest, LocalServiceAccountFillsInUnlessDisabled) {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() /
      ("coffer-k8s-local-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
       "-" + std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "token") << "local-reviewer-jwt\n";
  std::ofstream(dir / "ca.crt") << kCaPem;

  K8sHarness h(dir.string());
  h.MustCall(Operation::kUpdate, "config", {{"kubernetes_host", "https://10.0.0.1:6443"}});
  h.MustCall(Operation::kUpdate, "role/web",
             {{"bound_service_account_names", "app"},
              {"bound_service_account_namespaces", "prod"}});
  const std::string jwt = ServiceAccountJwt("prod", "app", "uid-1");
  h.reviewer().Answer(jwt, Account("prod", "app", "uid-1"));
  ASSERT_TRUE(h.Login("web", jwt).ok());
  EXPECT_EQ(h.reviewer().last().reviewer_jwt, "local-reviewer-jwt");
  EXPECT_EQ(h.reviewer().last().ca_cert_pem, kCaPem);

  h.MustCall(Operation::kUpdate, "config",
             {{"kubernetes_host", "https://10.0.0.1:6443"}, {"disable_local_ca_jwt", true}});
  ASSERT_TRUE(h.Login("web", jwt).ok());
  EXPECT_EQ(h.reviewer().last().reviewer_jwt, jwt);
  EXPECT_EQ(h.reviewer().last().ca_cert_pem, "");
  std::filesystem::remove_all(dir);
}

TEST(KubernetesLoginTest, ReviewedAccountOutsideTheBindingsIsRefused) {
  K8sHarness h;
  h.Configure();
  // JWTs without service account claims: only the review can refuse them.
  const std::string other_ns = MakeJwt({{"sub", "1"}});
  const std::string other_name = MakeJwt({{"sub", "2"}});
  h.reviewer().Answer(other_ns, Account("dev", "app", "u1"));
  h.reviewer().Answer(other_name, Account("prod", "db", "u2"));

  Result<core::Response> r = h.Login("web", other_ns);
  EXPECT_EQ(CodeOf(r), Code::kPermissionDenied);
  EXPECT_EQ(r.status().message(), "namespace not authorized");
  r = h.Login("web", other_name);
  EXPECT_EQ(CodeOf(r), Code::kPermissionDenied);
  EXPECT_EQ(r.status().message(), "service account name not authorized");
}

TEST(KubernetesLoginTest, ClaimsOutsideTheBindingsAreRefusedBeforeAnyReview) {
  K8sHarness h;
  h.Configure();
  Result<core::Response> r = h.Login("web", ServiceAccountJwt("dev", "app", "u"));
  EXPECT_EQ(CodeOf(r), Code::kPermissionDenied);
  EXPECT_EQ(r.status().message(), "namespace not authorized");
  r = h.Login("web", ServiceAccountJwt("prod", "db", "u"));
  EXPECT_EQ(r.status().message(), "service account name not authorized");
  EXPECT_EQ(h.reviewer().calls(), 0);
}

TEST(KubernetesLoginTest, ReviewDisagreeingWithTheClaimsIsRefused) {
  K8sHarness h;
  h.Configure({{"bound_service_account_names", "*"}, {"bound_service_account_namespaces", "*"}});
  const std::string jwt = ServiceAccountJwt("prod", "app", "uid-1");
  h.reviewer().Answer(jwt, Account("prod", "other", "uid-1"));
  EXPECT_EQ(h.Login("web", jwt).status().message(), "JWT names did not match");
  h.reviewer().Answer(jwt, Account("dev", "app", "uid-1"));
  EXPECT_EQ(h.Login("web", jwt).status().message(), "JWT namespaces did not match");
  h.reviewer().Answer(jwt, Account("prod", "app", "uid-2"));
  Result<core::Response> r = h.Login("web", jwt);
  EXPECT_EQ(CodeOf(r), Code::kPermissionDenied);
  EXPECT_EQ(r.status().message(), "JWT UIDs did not match");
}

TEST(KubernetesLoginTest, UnauthenticatedOrFailedReviewYieldsNoToken) {
  K8sHarness h;
  h.Configure();
  const std::string jwt = ServiceAccountJwt("prod", "app", "u");
  Result<core::Response> r = h.Login("web", jwt);  // the fake knows no such token
  EXPECT_EQ(CodeOf(r), Code::kPermissionDenied);
  EXPECT_EQ(r.status().message(), "permission denied");

  h.reviewer().Answer(jwt, Status::Unavailable("lookup failed: could not be reached"));
  EXPECT_EQ(CodeOf(h.Login("web", jwt)), Code::kUnavailable);
}

TEST(KubernetesLoginTest, AudienceMustBeInTheReview) {
  K8sHarness h;
  h.Configure({{"audience", "vault"}});
  const std::string jwt = ServiceAccountJwt("prod", "app", "u");
  h.reviewer().Answer(jwt, Account("prod", "app", "u", {"api"}));
  Result<core::Response> r = h.Login("web", jwt);
  EXPECT_EQ(CodeOf(r), Code::kPermissionDenied);
  EXPECT_EQ(r.status().message(), "invalid audience");
  h.reviewer().Answer(jwt, Account("prod", "app", "u", {}));
  EXPECT_EQ(h.Login("web", jwt).status().message(), "invalid audience");
}

TEST(KubernetesLoginTest, WildcardsAndGlobsAdmitMatchingAccounts) {
  K8sHarness h;
  h.Configure({{"bound_service_account_names", "*"},
               {"bound_service_account_namespaces", json::array({"team-*", "prod"})}});
  const std::string a = ServiceAccountJwt("team-blue", "anything", "u1");
  const std::string b = ServiceAccountJwt("staging", "app", "u2");
  h.reviewer().Answer(a, Account("team-blue", "anything", "u1"));
  h.reviewer().Answer(b, Account("staging", "app", "u2"));
  Result<core::Response> r = h.Login("web", a);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->login->display_name, "team-blue-anything");
  EXPECT_EQ(h.Login("web", b).status().message(), "namespace not authorized");
}

TEST(KubernetesLoginTest, BadRequestsAreInvalidArgument) {
  K8sHarness h;
  const std::string jwt = ServiceAccountJwt("prod", "app", "u");
  // No config yet.
  h.MustCall(Operation::kUpdate, "role/web",
             {{"bound_service_account_names", "app"},
              {"bound_service_account_namespaces", "prod"}});
  Result<core::Response> r = h.Login("web", jwt);
  EXPECT_EQ(r.status().message(), "could not load backend configuration");
  EXPECT_EQ(r.status().code(), Code::kFailedPrecondition);
  h.Configure();

  r = h.Call(Operation::kUpdate, "login", {{"jwt", jwt}});
  EXPECT_EQ(CodeOf(r), Code::kInvalidArgument);
  EXPECT_EQ(r.status().message(), "missing role");
  r = h.Call(Operation::kUpdate, "login", {{"role", "web"}});
  EXPECT_EQ(CodeOf(r), Code::kInvalidArgument);
  EXPECT_EQ(r.status().message(), "missing jwt");
  r = h.Login("nope", jwt);
  EXPECT_EQ(CodeOf(r), Code::kInvalidArgument);
  EXPECT_EQ(r.status().message(), "invalid role name \"nope\"");
  r = h.Login("web", "not-a-jwt");
  EXPECT_EQ(CodeOf(r), Code::kInvalidArgument);
  EXPECT_EQ(h.reviewer().calls(), 0);
}

TEST(KubernetesLoginTest, BoundCidrsRestrictWhereTheLoginComesFrom) {
  K8sHarness h;
  h.Configure({{"token_bound_cidrs", "10.0.0.0/8"}});
  const std::string jwt = ServiceAccountJwt("prod", "app", "u");
  h.reviewer().Answer(jwt, Account("prod", "app", "u"));
  Result<core::Response> r = h.Login("web", jwt);  // from 127.0.0.1
  EXPECT_EQ(CodeOf(r), Code::kPermissionDenied);
  EXPECT_EQ(h.reviewer().calls(), 0);
}

}  // namespace
}  // namespace coffer::engines::testing
