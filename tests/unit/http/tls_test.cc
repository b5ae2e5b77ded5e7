// TLS listeners: protocol versions, server verification by the client, and
// client certificates.
#include <gtest/gtest.h>
#include <openssl/ssl.h>

#include <memory>

#include "api/client.h"
#include "http/server.h"
#include "recording_handler.h"
#include "test_pki.h"
#include "tls_probe.h"

namespace coffer::http {
namespace {

using testing::RecordingHandler;
using testing::TestPki;

class HttpTlsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    std::string error;
    pki_ = new TestPki(testing::MakeTestPki(&error));
    pki_error_ = new std::string(error);
  }
  static void TearDownTestSuite() {
    testing::RemoveTestPki(*pki_);
    delete pki_;
    delete pki_error_;
  }
  void SetUp() override { ASSERT_TRUE(pki_error_->empty()) << *pki_error_; }

  config::ListenerConfig TlsListener() const {
    config::ListenerConfig listener;
    listener.address = "127.0.0.1:0";
    listener.tls_cert_file = pki_->server_cert;
    listener.tls_key_file = pki_->server_key;
    return listener;
  }

  Status StartServer(const config::ListenerConfig& listener) {
    server_ = std::make_unique<Server>(std::vector<config::ListenerConfig>{listener}, handler_);
    return server_->Start();
  }

  api::ClientConfig ClientConfig(bool with_client_cert = false) const {
    api::ClientConfig config;
    config.address = "https://127.0.0.1:" + std::to_string(server_->BoundPort());
    config.ca_cert_file = pki_->ca_cert;
    config.timeout = std::chrono::seconds(10);
    if (with_client_cert) {
      config.client_cert_file = pki_->client_cert;
      config.client_key_file = pki_->client_key;
    }
    return config;
  }

  Result<api::Response> Get(const api::ClientConfig& config) {
    auto client = api::Client::Create(config);
    if (!client.ok()) {
      return client.status();
    }
    return (*client)->Request("GET", "sys/health");
  }

  static TestPki* pki_;
  static std::string* pki_error_;
  RecordingHandler handler_;
  std::unique_ptr<Server> server_;
};

TestPki* HttpTlsTest::pki_ = nullptr;
std::string* HttpTlsTest::pki_error_ = nullptr;

TEST_F(HttpTlsTest, DefaultListenerNegotiatesTls13) {
  ASSERT_TRUE(StartServer(TlsListener()).ok());
  EXPECT_EQ(testing::NegotiatedTlsVersion(server_->BoundPort(), TLS1_2_VERSION, TLS1_3_VERSION),
            "TLSv1.3");
}

TEST_F(HttpTlsTest, DefaultListenerRefusesTls12Clients) {
  ASSERT_TRUE(StartServer(TlsListener()).ok());
  EXPECT_EQ(testing::NegotiatedTlsVersion(server_->BoundPort(), TLS1_2_VERSION, TLS1_2_VERSION),
            "");
}

TEST_F(HttpTlsTest, Tls12MinimumAcceptsTls12Clients) {
  config::ListenerConfig listener = TlsListener();
  listener.tls_min_version = "tls12";
  ASSERT_TRUE(StartServer(listener).ok());
  EXPECT_EQ(testing::NegotiatedTlsVersion(server_->BoundPort(), TLS1_2_VERSION, TLS1_2_VERSION),
            "TLSv1.2");
}

TEST_F(HttpTlsTest, ClientTrustingTheCaGetsAnswers) {
  ASSERT_TRUE(StartServer(TlsListener()).ok());
  auto r = Get(ClientConfig());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(handler_.Last().path, "sys/health");
}

TEST_F(HttpTlsTest, ClientRefusesAnUntrustedServer) {
  ASSERT_TRUE(StartServer(TlsListener()).ok());
  api::ClientConfig config = ClientConfig();
  config.ca_cert_file.clear();  // system store: does not know the test CA
  EXPECT_EQ(Get(config).status().code(), Code::kUnavailable);
  config.tls_skip_verify = true;
  EXPECT_TRUE(Get(config).ok());
}

TEST_F(HttpTlsTest, ClientChecksTheServerName) {
  ASSERT_TRUE(StartServer(TlsListener()).ok());
  api::ClientConfig config = ClientConfig();
  config.tls_server_name = "other.example";
  EXPECT_FALSE(Get(config).ok());
  config.tls_server_name = "localhost";
  EXPECT_TRUE(Get(config).ok());
}

TEST_F(HttpTlsTest, RequiredClientCertRejectsAClientWithoutOne) {
  config::ListenerConfig listener = TlsListener();
  listener.tls_client_ca_file = pki_->ca_cert;
  listener.tls_require_and_verify_client_cert = true;
  ASSERT_TRUE(StartServer(listener).ok());
  EXPECT_FALSE(Get(ClientConfig(/*with_client_cert=*/false)).ok());
  EXPECT_EQ(handler_.Count(), 0u);
  auto r = Get(ClientConfig(/*with_client_cert=*/true));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->status, 200);
}

TEST_F(HttpTlsTest, OptionalClientCaAcceptsClientsWithAndWithoutCerts) {
  config::ListenerConfig listener = TlsListener();
  listener.tls_client_ca_file = pki_->ca_cert;
  ASSERT_TRUE(StartServer(listener).ok());
  EXPECT_TRUE(Get(ClientConfig(false)).ok());
  EXPECT_TRUE(Get(ClientConfig(true)).ok());
}

TEST_F(HttpTlsTest, OptionalClientCertificatesAreLeftToCertAuth) {
  // Without tls_require_and_verify_client_cert the listener, like Vault's,
  // takes any client certificate and leaves judging it to cert auth: here
  // the CA file holds only the server's own certificate, which did not
  // issue the client's, and the request still goes through.
  config::ListenerConfig listener = TlsListener();
  listener.tls_client_ca_file = pki_->server_cert;
  ASSERT_TRUE(StartServer(listener).ok());
  EXPECT_TRUE(Get(ClientConfig(true)).ok());
}

TEST_F(HttpTlsTest, KeepAliveWorksOverTls) {
  ASSERT_TRUE(StartServer(TlsListener()).ok());
  auto client = api::Client::Create(ClientConfig());
  ASSERT_TRUE(client.ok());
  for (int i = 0; i < 3; ++i) {
    auto r = (*client)->Request("GET", "secret/x");
    ASSERT_TRUE(r.ok()) << r.status().ToString();
  }
  EXPECT_EQ(server_->AcceptedConnections(), 1u);
}

TEST_F(HttpTlsTest, MissingCertFileFailsStartNamingIt) {
  config::ListenerConfig listener = TlsListener();
  listener.tls_cert_file = pki_->dir + "/missing.pem";
  Status status = StartServer(listener);
  EXPECT_EQ(status.code(), Code::kIOError);
  EXPECT_NE(status.message().find("missing.pem"), std::string::npos) << status.ToString();
}

TEST_F(HttpTlsTest, KeyThatDoesNotMatchTheCertFailsStart) {
  config::ListenerConfig listener = TlsListener();
  listener.tls_key_file = pki_->client_key;
  EXPECT_FALSE(StartServer(listener).ok());
}

TEST_F(HttpTlsTest, UnknownMinVersionFailsStart) {
  config::ListenerConfig listener = TlsListener();
  listener.tls_min_version = "tls10";
  EXPECT_EQ(StartServer(listener).code(), Code::kInvalidArgument);
}

TEST_F(HttpTlsTest, PlainHttpToATlsListenerDoesNotReachTheHandler) {
  ASSERT_TRUE(StartServer(TlsListener()).ok());
  api::ClientConfig config = ClientConfig();
  config.address = "http://127.0.0.1:" + std::to_string(server_->BoundPort());
  EXPECT_FALSE(Get(config).ok());
  EXPECT_EQ(handler_.Count(), 0u);
}

}  // namespace
}  // namespace coffer::http
