// cert: trusted certificate roles and a login that verifies the TLS client
// chain the listener passed on. Every CA, key and certificate is made here
// at run time with OpenSSL; nothing is checked in.
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <chrono>
#include <ctime>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "auth/cert/cert_entry.h"
#include "auth/cert/x509_chain.h"
#include "engines/engine_harness.h"

namespace coffer::engines::testing {
namespace {

using auth::cert::Glob;
using auth::cert::X509Ptr;
using core::Operation;
using nlohmann::json;

struct PkeyDeleter {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyDeleter>;

// What a test certificate should say. Times are seconds since the epoch.
struct CertSpec {
  std::string cn;
  bool ca = false;
  std::string sans;  // "DNS:a.example.com,email:x@y,URI:spiffe://t/w" or ""
  std::string eku = "clientAuth";  // "" for none
  long serial = 1;
  time_t not_before = 0;
  time_t not_after = 0;
};

struct Issued {
  X509Ptr cert;
  PkeyPtr key;
  std::string pem;
};

std::string ToPem(X509* cert) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), &BIO_free);
  EXPECT_EQ(PEM_write_bio_X509(bio.get(), cert), 1);
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(size));
}

void AddExtension(X509* cert, X509* issuer, int nid, const std::string& value) {
  X509V3_CTX ctx;
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_nconf_nid(nullptr, &ctx, nid, value.c_str());
  ASSERT_NE(ext, nullptr) << value;
  ASSERT_EQ(X509_add_ext(cert, ext, -1), 1);
  X509_EXTENSION_free(ext);
}

// MakeCert issues `spec` with a fresh P-256 key, signed by `issuer` (or
// self-signed when null).
Issued MakeCert(const CertSpec& spec, const Issued* issuer) {
  Issued out;
  out.key.reset(EVP_EC_gen("P-256"));
  EXPECT_TRUE(out.key);
  out.cert.reset(X509_new());
  X509* x = out.cert.get();
  EXPECT_EQ(X509_set_version(x, X509_VERSION_3), 1);
  ASN1_INTEGER_set(X509_get_serialNumber(x), spec.serial);
  time_t not_before = spec.not_before;
  time_t not_after = spec.not_after;
  X509_time_adj_ex(X509_getm_notBefore(x), 0, 0, &not_before);
  X509_time_adj_ex(X509_getm_notAfter(x), 0, 0, &not_after);
  X509_NAME* name = X509_get_subject_name(x);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                             reinterpret_cast<const unsigned char*>(spec.cn.c_str()), -1, -1, 0);
  X509* issuer_cert = issuer ? issuer->cert.get() : x;
  EVP_PKEY* signing_key = issuer ? issuer->key.get() : out.key.get();
  X509_set_issuer_name(x, X509_get_subject_name(issuer_cert));
  X509_set_pubkey(x, out.key.get());
  AddExtension(x, issuer_cert, NID_basic_constraints, spec.ca ? "critical,CA:TRUE" : "CA:FALSE");
  AddExtension(x, issuer_cert, NID_subject_key_identifier, "hash");
  if (issuer != nullptr) {
    AddExtension(x, issuer_cert, NID_authority_key_identifier, "keyid:always");
  }
  if (spec.ca) {
    AddExtension(x, issuer_cert, NID_key_usage, "critical,keyCertSign,cRLSign");
  } else {
    AddExtension(x, issuer_cert, NID_key_usage, "critical,digitalSignature");
    if (!spec.eku.empty()) {
      AddExtension(x, issuer_cert, NID_ext_key_usage, spec.eku);
    }
  }
  if (!spec.sans.empty()) {
    AddExtension(x, issuer_cert, NID_subject_alt_name, spec.sans);
  }
  EXPECT_GT(X509_sign(x, signing_key, EVP_sha256()), 0);
  out.pem = ToPem(x);
  return out;
}

class CertTest : public ::testing::Test {
 protected:
  CertTest() : h_("cert") {
    now_ = std::chrono::system_clock::to_time_t(h_.clock().Now());
    ca_ = Ca("Test CA", 100);
    other_ca_ = Ca("Other CA", 200);
  }

  Issued Ca(const std::string& cn, long serial) {
    CertSpec spec;
    spec.cn = cn;
    spec.ca = true;
    spec.serial = serial;
    spec.not_before = now_ - 3600;
    spec.not_after = now_ + 30 * 86400;
    return MakeCert(spec, nullptr);
  }

  // Leaf is a client certificate valid from an hour ago for a day.
  Issued Leaf(const Issued& issuer, const std::string& cn, const std::string& sans = "",
              long serial = 4242, const std::string& eku = "clientAuth") {
    CertSpec spec;
    spec.cn = cn;
    spec.sans = sans;
    spec.serial = serial;
    spec.eku = eku;
    spec.not_before = now_ - 3600;
    spec.not_after = now_ + 86400;
    return MakeCert(spec, &issuer);
  }

  Result<core::Response> Login(const std::string& chain_pem, json data = json::object()) {
    core::EngineRequest request;
    request.operation = Operation::kUpdate;
    request.path = "login";
    request.data = std::move(data);
    request.storage = &h_.storage();
    request.mount_point = "auth/cert/";
    request.remote_address = "127.0.0.1";
    request.client_cert_pem = chain_pem;
    request.clock = &h_.clock();
    return h_.engine().Handle(request);
  }

  void WriteRole(const std::string& name, const std::string& certificate, json extra = {}) {
    json data = extra.is_object() ? extra : json::object();
    data["certificate"] = certificate;
    h_.MustCall(Operation::kUpdate, "certs/" + name, data);
  }

  // ExpectRefused: a 400 with `message` and no grant.
  static void ExpectRefused(const Result<core::Response>& r, const std::string& message) {
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), Code::kInvalidArgument);
    EXPECT_EQ(r.status().message(), message);
  }

  static constexpr const char* kNoChain = "invalid certificate or no client certificate supplied";
  static constexpr const char* kNoMatch =
      "no chain matching all constraints could be found for this login certificate";

  EngineHarness h_;
  time_t now_ = 0;
  Issued ca_;
  Issued other_ca_;
};

// --- glob ---------------------------------------------------------------------

TEST(CertGlobTest, MatchesLikeGoGlob) {
  EXPECT_TRUE(Glob("*", "anything"));
  EXPECT_TRUE(Glob("*", ""));
  EXPECT_TRUE(Glob("", ""));
  EXPECT_FALSE(Glob("", "x"));
  EXPECT_TRUE(Glob("web", "web"));
  EXPECT_FALSE(Glob("web", "web2"));
  EXPECT_TRUE(Glob("*.example.com", "api.example.com"));
  EXPECT_FALSE(Glob("*.example.com", "example.com"));
  EXPECT_FALSE(Glob("*.example.com", "api.example.com.evil"));
  EXPECT_TRUE(Glob("api.*", "api.example.com"));
  EXPECT_FALSE(Glob("api.*", "xapi.example.com"));
  EXPECT_TRUE(Glob("a*b*c", "aXXbYYc"));
  EXPECT_FALSE(Glob("a*b*c", "aXXcYYb"));
  EXPECT_TRUE(Glob("*mid*", "xxmidyy"));
  EXPECT_FALSE(Glob("ab*ba", "aba"));
}

// --- certs ----------------------------------------------------------------------

TEST_F(CertTest, RegisteredAsCertWithLoginPath) {
  EXPECT_EQ(h_.engine().Type(), "cert");
  EXPECT_TRUE(h_.engine().IsLoginPath("login"));
  EXPECT_FALSE(h_.engine().IsLoginPath("certs/web"));
}

TEST_F(CertTest, CertsCreateReadListDelete) {
  EXPECT_FALSE(h_.Exists("certs/web").value());
  WriteRole("Web", ca_.pem,
            {{"allowed_common_names", "*.example.com,app"},
             {"token_policies", "dev"},
             {"token_ttl", "1h"}});
  EXPECT_TRUE(h_.Exists("certs/web").value());
  WriteRole("api", ca_.pem, {{"display_name", "API clients"}});

  json web = h_.MustCall(Operation::kRead, "certs/WEB");
  EXPECT_EQ(web["certificate"], ca_.pem);
  EXPECT_EQ(web["display_name"], "web");
  EXPECT_EQ(web["allowed_common_names"], json({"*.example.com", "app"}));
  EXPECT_EQ(web["allowed_dns_sans"], json::array());
  EXPECT_EQ(web["allowed_email_sans"], json::array());
  EXPECT_EQ(web["allowed_uri_sans"], json::array());
  EXPECT_EQ(web["required_extensions"], json::array());
  EXPECT_EQ(web["token_policies"], json({"dev"}));
  EXPECT_EQ(web["token_ttl"], 3600);
  EXPECT_EQ(h_.MustCall(Operation::kRead, "certs/api")["display_name"], "API clients");

  EXPECT_EQ(h_.MustCall(Operation::kList, "certs"), json({{"keys", {"api", "web"}}}));
  EXPECT_EQ(h_.MustCall(Operation::kList, "certs/"), json({{"keys", {"api", "web"}}}));

  // An update keeps what it does not name.
  h_.MustCall(Operation::kUpdate, "certs/web", {{"allowed_dns_sans", "*.svc"}});
  web = h_.MustCall(Operation::kRead, "certs/web");
  EXPECT_EQ(web["allowed_common_names"], json({"*.example.com", "app"}));
  EXPECT_EQ(web["allowed_dns_sans"], json({"*.svc"}));
  EXPECT_EQ(web["certificate"], ca_.pem);

  h_.MustCall(Operation::kDelete, "certs/web");
  EXPECT_EQ(CodeOf(h_.Call(Operation::kRead, "certs/web")), Code::kNotFound);
  h_.MustCall(Operation::kDelete, "certs/api");
  EXPECT_EQ(CodeOf(h_.Call(Operation::kList, "certs")), Code::kNotFound);
}

TEST_F(CertTest, InvalidOrMissingCertificateIsRefusedAndStoresNothing) {
  Result<core::Response> r =
      h_.Call(Operation::kCreate, "certs/web", {{"certificate", "not a certificate"}});
  EXPECT_EQ(CodeOf(r), Code::kInvalidArgument);
  EXPECT_EQ(r.status().message(), "failed to parse certificate");
  std::string truncated = ca_.pem.substr(0, ca_.pem.size() / 2);
  EXPECT_EQ(CodeOf(h_.Call(Operation::kCreate, "certs/web", {{"certificate", truncated}})),
            Code::kInvalidArgument);
  r = h_.Call(Operation::kCreate, "certs/web", {{"token_policies", "dev"}});
  EXPECT_EQ(CodeOf(r), Code::kInvalidArgument);
  EXPECT_EQ(r.status().message(), "missing certificate");
  // A trusted leaf must be usable for client authentication.
  Issued server_only = Leaf(ca_, "srv", "", 7, "serverAuth");
  r = h_.Call(Operation::kCreate, "certs/web", {{"certificate", server_only.pem}});
  EXPECT_EQ(CodeOf(r), Code::kInvalidArgument);
  // Constraints coffer does not check are refused rather than ignored.
  for (const char* field :
       {"required_extensions", "allowed_organizational_units", "allowed_metadata_extensions"}) {
    r = h_.Call(Operation::kCreate, "certs/web", {{"certificate", ca_.pem}, {field, "x"}});
    EXPECT_EQ(CodeOf(r), Code::kInvalidArgument) << field;
  }
  EXPECT_EQ(CodeOf(h_.Call(Operation::kCreate, "certs/web",
                           {{"certificate", ca_.pem}, {"token_type", "bogus"}})),
            Code::kInvalidArgument);
  EXPECT_EQ(CodeOf(h_.Call(Operation::kList, "certs")), Code::kNotFound);

  // A bad update leaves the stored role as it was.
  WriteRole("web", ca_.pem);
  const std::string before = h_.storage().Get("cert/web").value();
  EXPECT_EQ(CodeOf(h_.Call(Operation::kUpdate, "certs/web", {{"certificate", "junk"}})),
            Code::kInvalidArgument);
  EXPECT_EQ(h_.storage().Get("cert/web").value(), before);
}

TEST_F(CertTest, ConfigStoresDisableBinding) {
  json config = h_.MustCall(Operation::kRead, "config");
  EXPECT_EQ(config["disable_binding"], false);
  h_.MustCall(Operation::kUpdate, "config", {{"disable_binding", true}});
  EXPECT_EQ(h_.MustCall(Operation::kRead, "config")["disable_binding"], true);
  h_.MustCall(Operation::kUpdate, "config", {{"enable_identity_alias_metadata", true}});
  config = h_.MustCall(Operation::kRead, "config");
  EXPECT_EQ(config["disable_binding"], true);
  EXPECT_EQ(config["enable_identity_alias_metadata"], true);
}

// --- login ------------------------------------------------------------------------

TEST_F(CertTest, CertSignedByTheRolesCaGetsTheRolesToken) {
  WriteRole("web", ca_.pem, {{"token_policies", "dev,ops"}, {"token_ttl", "1h"}});
  Issued leaf = Leaf(ca_, "client.example.com", "", 4242);
  Result<core::Response> r = Login(leaf.pem);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_TRUE(r->login.has_value());
  const core::LoginGrant& grant = *r->login;
  EXPECT_EQ(grant.display_name, "web");
  EXPECT_EQ(grant.token.policies, (std::vector<std::string>{"dev", "ops"}));
  EXPECT_EQ(grant.token.ttl, 3600);
  EXPECT_TRUE(grant.renewable);
  EXPECT_EQ(grant.metadata.at("cert_name"), "web");
  EXPECT_EQ(grant.metadata.at("common_name"), "client.example.com");
  EXPECT_EQ(grant.metadata.at("serial_number"), "4242");
  const std::string skid = grant.metadata.at("subject_key_id");
  const std::string akid = grant.metadata.at("authority_key_id");
  // SHA-1 key identifiers: 20 bytes as "aa:bb:...".
  EXPECT_EQ(skid.size(), 20u * 3 - 1) << skid;
  EXPECT_EQ(skid.find_first_not_of("0123456789abcdef:"), std::string::npos) << skid;
  EXPECT_NE(skid, akid);
  // The authority key id is the CA's own subject key id.
  Result<auth::cert::LeafInfo> ca_info = auth::cert::ReadLeafInfo(ca_.cert.get());
  ASSERT_TRUE(ca_info.ok());
  EXPECT_EQ(akid, ca_info->subject_key_id);
  EXPECT_EQ(grant.metadata.size(), 5u);
}

TEST_F(CertTest, DisplayNameOfTheRoleIsUsed) {
  WriteRole("web", ca_.pem, {{"display_name", "web-clients"}});
  Result<core::Response> r = Login(Leaf(ca_, "c").pem);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->login->display_name, "web-clients");
}

TEST_F(CertTest, CertFromAnotherCaIsRefused) {
  WriteRole("web", ca_.pem);
  ExpectRefused(Login(Leaf(other_ca_, "client").pem), kNoChain);
  // A self-signed certificate claiming the CA's name is no better.
  CertSpec fake;
  fake.cn = "Test CA";
  fake.ca = true;
  fake.not_before = now_ - 60;
  fake.not_after = now_ + 60;
  Issued fake_ca = MakeCert(fake, nullptr);
  ExpectRefused(Login(Leaf(fake_ca, "client").pem + fake_ca.pem), kNoChain);
}

TEST_F(CertTest, NoOrUnparsableCertificateIs400) {
  WriteRole("web", ca_.pem);
  ExpectRefused(Login(""), kNoChain);
  ExpectRefused(Login("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"), kNoChain);
}

TEST_F(CertTest, NoRolesRefusesEveryCertificate) {
  ExpectRefused(Login(Leaf(ca_, "client").pem), kNoChain);
}

TEST_F(CertTest, ExpiredOrNotYetValidCertIsRefused) {
  WriteRole("web", ca_.pem);
  Issued leaf = Leaf(ca_, "client");
  ASSERT_TRUE(Login(leaf.pem).ok());
  h_.clock().Advance(std::chrono::hours(25));
  ExpectRefused(Login(leaf.pem), kNoChain);
  h_.clock().Advance(-std::chrono::hours(27));
  ExpectRefused(Login(leaf.pem), kNoChain);
}

TEST_F(CertTest, ServerOnlyCertificateIsRefused) {
  WriteRole("web", ca_.pem);
  ExpectRefused(Login(Leaf(ca_, "client", "", 9, "serverAuth").pem), kNoChain);
  // Without any extended key usage a certificate may authenticate a client.
  ASSERT_TRUE(Login(Leaf(ca_, "client", "", 10, "").pem).ok());
}

TEST_F(CertTest, AllowedCommonNamesGlobs) {
  WriteRole("web", ca_.pem, {{"allowed_common_names", "*.example.com,exact"}});
  EXPECT_TRUE(Login(Leaf(ca_, "api.example.com").pem).ok());
  EXPECT_TRUE(Login(Leaf(ca_, "exact").pem).ok());
  ExpectRefused(Login(Leaf(ca_, "example.com").pem), kNoMatch);
  ExpectRefused(Login(Leaf(ca_, "api.example.com.evil").pem), kNoMatch);
  ExpectRefused(Login(Leaf(ca_, "exactly").pem), kNoMatch);
}

TEST_F(CertTest, AllowedSans) {
  WriteRole("dns", ca_.pem, {{"allowed_dns_sans", "*.svc.cluster"}});
  EXPECT_TRUE(
      Login(Leaf(ca_, "x", "DNS:other.net,DNS:web.svc.cluster").pem, {{"name", "dns"}}).ok());
  EXPECT_TRUE(Login(Leaf(ca_, "x", "DNS:WEB.SVC.CLUSTER").pem, {{"name", "dns"}}).ok());
  ExpectRefused(Login(Leaf(ca_, "web.svc.cluster", "DNS:other.net").pem, {{"name", "dns"}}),
                kNoMatch);
  ExpectRefused(Login(Leaf(ca_, "web.svc.cluster").pem, {{"name", "dns"}}), kNoMatch);

  WriteRole("email", ca_.pem, {{"allowed_email_sans", "*@example.com"}});
  EXPECT_TRUE(Login(Leaf(ca_, "x", "email:bob@example.com").pem, {{"name", "email"}}).ok());
  ExpectRefused(Login(Leaf(ca_, "x", "email:bob@evil.com").pem, {{"name", "email"}}), kNoMatch);

  WriteRole("uri", ca_.pem, {{"allowed_uri_sans", "spiffe://prod/*"}});
  EXPECT_TRUE(Login(Leaf(ca_, "x", "URI:spiffe://prod/web").pem, {{"name", "uri"}}).ok());
  ExpectRefused(Login(Leaf(ca_, "x", "URI:spiffe://dev/web").pem, {{"name", "uri"}}), kNoMatch);

  WriteRole("names", ca_.pem, {{"allowed_names", "bob@example.com"}});
  EXPECT_TRUE(Login(Leaf(ca_, "x", "email:bob@example.com").pem, {{"name", "names"}}).ok());
  ExpectRefused(Login(Leaf(ca_, "x").pem, {{"name", "names"}}), kNoMatch);
}

TEST_F(CertTest, NamedRoleRestrictsTheLogin) {
  WriteRole("web", ca_.pem);
  WriteRole("other", other_ca_.pem);
  Issued from_other = Leaf(other_ca_, "client");
  ExpectRefused(Login(from_other.pem, {{"name", "web"}}), kNoChain);
  ExpectRefused(Login(from_other.pem, {{"name", "missing"}}), kNoChain);
  Result<core::Response> r = Login(from_other.pem, {{"name", "OTHER"}});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->login->metadata.at("cert_name"), "other");
  r = Login(from_other.pem);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->login->metadata.at("cert_name"), "other");
}

TEST_F(CertTest, FirstMatchingRoleByNameWins) {
  WriteRole("zeta", ca_.pem);
  WriteRole("beta", ca_.pem, {{"allowed_common_names", "nobody"}});
  WriteRole("alpha", ca_.pem, {{"allowed_common_names", "client"}});
  Result<core::Response> r = Login(Leaf(ca_, "client").pem);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->login->metadata.at("cert_name"), "alpha");
  r = Login(Leaf(ca_, "someone").pem);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->login->metadata.at("cert_name"), "zeta");
}

TEST_F(CertTest, IntermediatesComeFromThePresentedChain) {
  CertSpec spec;
  spec.cn = "Intermediate";
  spec.ca = true;
  spec.serial = 300;
  spec.not_before = now_ - 3600;
  spec.not_after = now_ + 86400;
  Issued intermediate = MakeCert(spec, &ca_);
  Issued leaf = Leaf(intermediate, "client");
  WriteRole("root", ca_.pem);
  EXPECT_TRUE(Login(leaf.pem + intermediate.pem).ok());
  ExpectRefused(Login(leaf.pem), kNoChain);
  // Trusting the intermediate alone is enough, as with Go's root pools.
  h_.MustCall(Operation::kDelete, "certs/root");
  WriteRole("intermediate", intermediate.pem);
  EXPECT_TRUE(Login(leaf.pem).ok());
}

TEST_F(CertTest, ExactLeafCanBeTrusted) {
  Issued leaf = Leaf(ca_, "client", "", 1);
  Issued sibling = Leaf(ca_, "client", "", 2);
  WriteRole("one", leaf.pem);
  Result<core::Response> r = Login(leaf.pem);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->login->metadata.at("cert_name"), "one");
  ExpectRefused(Login(sibling.pem), kNoChain);
  // A leaf cannot act as a CA for another certificate.
  ExpectRefused(Login(Leaf(leaf, "child").pem + leaf.pem), kNoChain);
}

TEST_F(CertTest, BoundCidrsRefuseOtherAddresses) {
  WriteRole("web", ca_.pem, {{"token_bound_cidrs", "10.0.0.0/8"}});
  Result<core::Response> r = Login(Leaf(ca_, "client").pem);
  EXPECT_EQ(CodeOf(r), Code::kPermissionDenied);
}

TEST_F(CertTest, LoginAliasIsTheLowerCasedName) {
  core::EngineRequest request;
  request.operation = Operation::kUpdate;
  request.path = "login";
  request.data = {{"name", "Web"}};
  request.storage = &h_.storage();
  EXPECT_EQ(h_.engine().LoginAlias(request), "web");
}

}  // namespace
}  // namespace coffer::engines::testing
