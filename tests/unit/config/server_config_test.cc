#include "config/server_config.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <string>

namespace coffer::config {
namespace {

constexpr char kFullHcl[] = R"(# A complete server config.
storage "lmdb" {
  path     = "/var/lib/coffer"
  map_size = 1073741824
  sync     = true
  ratio    = 0.5
}

listener "tcp" {
  address                            = "0.0.0.0:8200"
  tls_cert_file                      = "/etc/coffer/tls.crt"
  tls_key_file                       = "/etc/coffer/tls.key"
  tls_min_version                    = "tls12"
  tls_client_ca_file                 = "/etc/coffer/ca.crt"
  tls_require_and_verify_client_cert = "true"
  max_request_size                   = 1048576
}

listener "tcp" {
  address     = "127.0.0.1:8201"
  tls_disable = 1
}

api_addr          = "https://coffer.example.com:8200"
cluster_addr      = "https://10.0.0.1:8201"
cluster_name      = "prod"
ui                = false
disable_mlock     = true
default_lease_ttl = "1h30m"
max_lease_ttl     = 86400
log_level         = "WARNING"
)";

constexpr char kFullJson[] = R"({
  "storage": {"lmdb": {"path": "/var/lib/coffer", "map_size": 1073741824, "sync": true}},
  "listener": [
    {"tcp": {"address": "0.0.0.0:8200", "tls_cert_file": "/c", "tls_key_file": "/k"}},
    {"tcp": {"address": "127.0.0.1:8201", "tls_disable": "1"}}
  ],
  "api_addr": "https://coffer.example.com:8200",
  "disable_mlock": false,
  "default_lease_ttl": "10m",
  "max_lease_ttl": "768h",
  "log_level": "debug"
})";

// Minimal valid stanzas, to which each test adds the line under test.
constexpr char kStorage[] = "storage \"inmem\" {}\n";
constexpr char kListener[] = "listener \"tcp\" {\n  tls_disable = true\n}\n";

ServerConfig MustParse(const std::string& text, const std::string& filename = "coffer.hcl") {
  Result<ServerConfig> r = ParseServerConfig(text, filename);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? *r : ServerConfig{};
}

// ExpectError checks for InvalidArgument whose message starts with `prefix`
// (typically "coffer.hcl:<line>: ") and contains `what`.
void ExpectError(const std::string& text, const std::string& prefix, const std::string& what,
                 const std::string& filename = "coffer.hcl") {
  Result<ServerConfig> r = ParseServerConfig(text, filename);
  ASSERT_FALSE(r.ok()) << "accepted:\n" << text;
  EXPECT_TRUE(r.status().IsInvalidArgument()) << r.status().ToString();
  const std::string& m = r.status().message();
  EXPECT_EQ(m.rfind(prefix, 0), 0u) << "want prefix \"" << prefix << "\" in: " << m;
  EXPECT_NE(m.find(what), std::string::npos) << "want \"" << what << "\" in: " << m;
}

TEST(ServerConfig, FullHclConfigLoadsEveryKey) {
  ServerConfig c = MustParse(kFullHcl);
  EXPECT_EQ(c.storage.type, "lmdb");
  EXPECT_EQ(c.storage.params.at("path"), "/var/lib/coffer");
  EXPECT_EQ(c.storage.params.at("map_size"), "1073741824");
  EXPECT_EQ(c.storage.params.at("sync"), "true");
  EXPECT_EQ(c.storage.params.at("ratio"), "0.5");
  ASSERT_EQ(c.listeners.size(), 2u);
  const ListenerConfig& l = c.listeners[0];
  EXPECT_EQ(l.type, "tcp");
  EXPECT_EQ(l.address, "0.0.0.0:8200");
  EXPECT_FALSE(l.tls_disable);
  EXPECT_EQ(l.tls_cert_file, "/etc/coffer/tls.crt");
  EXPECT_EQ(l.tls_key_file, "/etc/coffer/tls.key");
  EXPECT_EQ(l.tls_min_version, "tls12");
  EXPECT_EQ(l.tls_client_ca_file, "/etc/coffer/ca.crt");
  EXPECT_TRUE(l.tls_require_and_verify_client_cert);
  EXPECT_EQ(l.max_request_size, 1048576u);
  EXPECT_TRUE(c.listeners[1].tls_disable);
  EXPECT_EQ(c.listeners[1].address, "127.0.0.1:8201");
  EXPECT_EQ(c.api_addr, "https://coffer.example.com:8200");
  EXPECT_TRUE(c.disable_mlock);
  EXPECT_EQ(c.default_lease_ttl, 5400);
  EXPECT_EQ(c.max_lease_ttl, 86400);
  EXPECT_EQ(c.log_level, "warn");
}

TEST(ServerConfig, FullJsonConfigLoadsEveryKey) {
  ServerConfig c = MustParse(kFullJson, "coffer.conf");
  EXPECT_EQ(c.storage.type, "lmdb");
  EXPECT_EQ(c.storage.params.at("map_size"), "1073741824");
  EXPECT_EQ(c.storage.params.at("sync"), "true");
  ASSERT_EQ(c.listeners.size(), 2u);
  EXPECT_EQ(c.listeners[0].tls_cert_file, "/c");
  EXPECT_TRUE(c.listeners[1].tls_disable);
  EXPECT_EQ(c.api_addr, "https://coffer.example.com:8200");
  EXPECT_FALSE(c.disable_mlock);
  EXPECT_EQ(c.default_lease_ttl, 600);
  EXPECT_EQ(c.max_lease_ttl, 768 * 3600);
  EXPECT_EQ(c.log_level, "debug");
}

TEST(ServerConfig, JsonIsChosenByFileNameToo) {
  ServerConfig c = MustParse(
      "\n{\"storage\": {\"inmem\": {}}, \"listener\": {\"tcp\": {\"tls_disable\": true}}}",
      "coffer.json");
  EXPECT_EQ(c.storage.type, "inmem");
  EXPECT_TRUE(c.storage.params.empty());
}

TEST(ServerConfig, DefaultsApplyWhenKeysAreAbsent) {
  ServerConfig c = MustParse(std::string(kStorage) + kListener);
  const ListenerConfig& l = c.listeners[0];
  EXPECT_EQ(l.address, "127.0.0.1:8200");
  EXPECT_EQ(l.tls_min_version, "tls13");
  EXPECT_EQ(l.max_request_size, 512u * 1024);
  EXPECT_EQ(c.default_lease_ttl, 768 * 3600);
  EXPECT_EQ(c.max_lease_ttl, 768 * 3600);
  EXPECT_EQ(c.log_level, "info");
  EXPECT_FALSE(c.disable_mlock);
  EXPECT_TRUE(c.api_addr.empty());
}

TEST(ServerConfig, NonPositiveMaxRequestSizeMeansDefault) {
  ServerConfig c = MustParse(std::string(kStorage) +
                             "listener \"tcp\" {\n tls_disable = true\n max_request_size = -1\n}\n");
  EXPECT_EQ(c.listeners[0].max_request_size, 512u * 1024);
}

TEST(ServerConfig, TlsDisableAcceptsVaultSpellings) {
  for (const char* v : {"true", "1", "\"true\"", "\"1\"", "\"T\""}) {
    ServerConfig c = MustParse(std::string(kStorage) + "listener \"tcp\" {\n tls_disable = " + v +
                               "\n}\n");
    EXPECT_TRUE(c.listeners[0].tls_disable) << v;
  }
}

TEST(ServerConfig, UnknownTopLevelKeyNamesFileLineAndKey) {
  ExpectError(std::string(kStorage) + kListener + "foo = 1\n", "coffer.hcl:5: ",
              "unknown key \"foo\"");
}

TEST(ServerConfig, UnknownTopLevelBlocksAreRejected) {
  ExpectError(std::string(kStorage) + kListener + "telemetry {\n}\n", "coffer.hcl:5: ",
              "unknown key \"telemetry\"");
  ExpectError(std::string(kStorage) + kListener + "seal \"shamir\" {}\n", "coffer.hcl:5: ",
              "unknown key \"seal\"");
}

TEST(ServerConfig, UnknownListenerKeyNamesTheListener) {
  ExpectError(std::string(kStorage) + "listener \"tcp\" {\n  tls_disable = true\n  foo = 1\n}\n",
              "coffer.hcl:4: ", "unknown key \"foo\" in listener \"tcp\"");
}

TEST(ServerConfig, UnknownKeyInJsonHasItsLine) {
  ExpectError("{\n  \"storage\": {\"inmem\": {}},\n  \"bogus\": true\n}", "coffer.json:3: ",
              "unknown key \"bogus\"", "coffer.json");
}

TEST(ServerConfig, BadValueInJsonHasItsLine) {
  ExpectError("{\n  \"storage\": {\"inmem\": {}},\n  \"listener\": {\"tcp\": {\n"
              "    \"tls_disable\": \"maybe\"}}\n}",
              "coffer.json:4: ", "tls_disable in listener \"tcp\" must be true or false",
              "coffer.json");
}

TEST(ServerConfig, MissingStorageIsAnError) {
  ExpectError(kListener, "coffer.hcl: ", "missing storage stanza");
}

TEST(ServerConfig, TwoStorageStanzasAreAnError) {
  ExpectError(std::string(kStorage) + kListener + "storage \"lmdb\" { path = \"/x\" }\n",
              "coffer.hcl:5: ", "more than one storage stanza (the first is on line 1)");
}

TEST(ServerConfig, StorageNeedsExactlyOneLabel) {
  ExpectError(std::string(kListener) + "storage {}\n", "coffer.hcl:4: ", "exactly one label");
  ExpectError(std::string(kListener) + "storage \"a\" \"b\" {}\n", "coffer.hcl:4: ",
              "exactly one label");
}

TEST(ServerConfig, StorageMustBeABlock) {
  ExpectError(std::string(kListener) + "storage = \"lmdb\"\n", "coffer.hcl:4: ",
              "storage must be a block");
}

TEST(ServerConfig, StorageParamsMustBeScalars) {
  ExpectError(std::string(kListener) + "storage \"lmdb\" {\n  path = [\"/a\"]\n}\n",
              "coffer.hcl:5: ", "path in storage \"lmdb\" must be a string, number or bool");
  ExpectError(std::string(kListener) + "storage \"lmdb\" {\n  nested {}\n}\n", "coffer.hcl:5: ",
              "nested in storage \"lmdb\" must be set as nested = <value>");
}

TEST(ServerConfig, MissingListenerIsAnError) {
  ExpectError(kStorage, "coffer.hcl: ", "missing listener stanza");
}

TEST(ServerConfig, UnsupportedListenerType) {
  ExpectError(std::string(kStorage) + "listener \"unix\" {}\n", "coffer.hcl:2: ",
              "unsupported listener type \"unix\"");
}

TEST(ServerConfig, TlsWithoutCertOrKeyIsAnError) {
  ExpectError(std::string(kStorage) + "listener \"tcp\" {\n  address = \"0.0.0.0:8200\"\n}\n",
              "coffer.hcl:2: ", "needs tls_cert_file and tls_key_file");
  ExpectError(std::string(kStorage) + "listener \"tcp\" {\n  tls_cert_file = \"/c\"\n}\n",
              "coffer.hcl:2: ", "needs tls_cert_file and tls_key_file");
  ExpectError(std::string(kStorage) + "listener \"tcp\" {\n  tls_disable = false\n  tls_key_file = \"/k\"\n}\n",
              "coffer.hcl:2: ", "needs tls_cert_file and tls_key_file");
}

TEST(ServerConfig, ClientCertVerificationNeedsTlsAndACa) {
  ExpectError(std::string(kStorage) +
                  "listener \"tcp\" {\n  tls_cert_file = \"/c\"\n  tls_key_file = \"/k\"\n"
                  "  tls_require_and_verify_client_cert = true\n}\n",
              "coffer.hcl:2: ", "needs tls_client_ca_file");
  ExpectError(std::string(kStorage) +
                  "listener \"tcp\" {\n  tls_disable = true\n"
                  "  tls_require_and_verify_client_cert = true\n}\n",
              "coffer.hcl:2: ", "needs TLS");
}

TEST(ServerConfig, BadListenerValuesNameLineAndKey) {
  const std::string pre = std::string(kStorage) + "listener \"tcp\" {\n  tls_disable = true\n";
  ExpectError(pre + "  tls_min_version = \"tls11\"\n}\n", "coffer.hcl:4: ",
              "tls_min_version in listener \"tcp\" must be \"tls12\" or \"tls13\"");
  ExpectError(pre + "  address = \"localhost\"\n}\n", "coffer.hcl:4: ",
              "address in listener \"tcp\" must be host:port");
  ExpectError(pre + "  address = \"h:99999\"\n}\n", "coffer.hcl:4: ", "must be host:port");
  ExpectError(pre + "  address = \"::1:8200\"\n}\n", "coffer.hcl:4: ", "must be host:port");
  ExpectError(pre + "  address = 8200\n}\n", "coffer.hcl:4: ",
              "address in listener \"tcp\" must be a string, got number 8200");
  ExpectError(pre + "  max_request_size = \"big\"\n}\n", "coffer.hcl:4: ",
              "max_request_size in listener \"tcp\" must be a whole number");
  ExpectError(pre + "  tls_require_and_verify_client_cert = 2\n}\n", "coffer.hcl:4: ",
              "must be true or false, got number 2");
  ExpectError(std::string(kStorage) + "listener \"tcp\" {\n  tls_disable = \"yes\"\n}\n",
              "coffer.hcl:3: ", "tls_disable in listener \"tcp\" must be true or false");
}

TEST(ServerConfig, BracketedIpv6AddressIsAccepted) {
  ServerConfig c = MustParse(std::string(kStorage) +
                             "listener \"tcp\" {\n tls_disable = true\n address = \"[::1]:8200\"\n}\n");
  EXPECT_EQ(c.listeners[0].address, "[::1]:8200");
}

TEST(ServerConfig, BadTopLevelValuesNameLineAndKey) {
  const std::string pre = std::string(kStorage) + kListener;
  ExpectError(pre + "api_addr = true\n", "coffer.hcl:5: ", "api_addr must be a string, got true");
  ExpectError(pre + "disable_mlock = \"sometimes\"\n", "coffer.hcl:5: ",
              "disable_mlock must be true or false");
  ExpectError(pre + "ui = 3\n", "coffer.hcl:5: ", "ui must be true or false");
  ExpectError(pre + "cluster_name = 1\n", "coffer.hcl:5: ", "cluster_name must be a string");
  ExpectError(pre + "log_level = \"loud\"\n", "coffer.hcl:5: ", "log_level must be one of");
  ExpectError(pre + "default_lease_ttl = \"5 parsecs\"\n", "coffer.hcl:5: ",
              "default_lease_ttl: invalid duration");
  ExpectError(pre + "max_lease_ttl = -5\n", "coffer.hcl:5: ", "max_lease_ttl must be a duration");
  ExpectError(pre + "max_lease_ttl = 1.5\n", "coffer.hcl:5: ", "max_lease_ttl must be a duration");
  ExpectError(pre + "api_addr {}\n", "coffer.hcl:5: ", "api_addr must be set as api_addr = <value>");
}

TEST(ServerConfig, DefaultLeaseTtlMustNotExceedMax) {
  const std::string pre = std::string(kStorage) + kListener;
  ExpectError(pre + "max_lease_ttl = \"1h\"\ndefault_lease_ttl = \"2h\"\n", "coffer.hcl:6: ",
              "default_lease_ttl (7200s) must not exceed max_lease_ttl (3600s)");
  // Against the default maximum of 768h too.
  ExpectError(pre + "default_lease_ttl = \"769h\"\n", "coffer.hcl:5: ", "must not exceed");
  ServerConfig c = MustParse(pre + "default_lease_ttl = \"1h\"\nmax_lease_ttl = \"1h\"\n");
  EXPECT_EQ(c.default_lease_ttl, 3600);
}

TEST(ServerConfig, HclSyntaxErrorsCarryFileLineAndColumn) {
  ExpectError(std::string(kStorage) + "listener \"tcp\" {\n  address = \"0.0.0.0:8200\n}\n",
              "coffer.hcl:3:13: ", "unterminated string");
}

TEST(ServerConfig, JsonSyntaxErrorsCarryFileAndLine) {
  ExpectError("{\n  \"storage\": {\"inmem\": {}},\n  \"listener\" {}\n}", "coffer.json:3:",
              "invalid JSON", "coffer.json");
}

TEST(LoadServerConfig, ReadsAFile) {
  std::string path = ::testing::TempDir() + "coffer_config_test.hcl";
  {
    std::ofstream out(path, std::ios::binary);
    out << kFullHcl;
  }
  Result<ServerConfig> r = LoadServerConfig(path);
  std::remove(path.c_str());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->storage.type, "lmdb");
}

TEST(LoadServerConfig, ErrorsNameTheFilePath) {
  std::string path = ::testing::TempDir() + "coffer_config_bad.hcl";
  {
    std::ofstream out(path, std::ios::binary);
    out << kStorage << kListener << "nope = 1\n";
  }
  Result<ServerConfig> r = LoadServerConfig(path);
  std::remove(path.c_str());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message().rfind(path + ":5: ", 0), 0u) << r.status().message();
}

TEST(LoadServerConfig, MissingFileIsAnErrorNamingThePath) {
  Result<ServerConfig> r = LoadServerConfig("/nonexistent/coffer.hcl");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("/nonexistent/coffer.hcl"), std::string::npos);
}

TEST(LoadServerConfig, DirectoryIsAnError) {
  Result<ServerConfig> r = LoadServerConfig(::testing::TempDir());
  EXPECT_FALSE(r.ok());
}

}  // namespace
}  // namespace coffer::config
