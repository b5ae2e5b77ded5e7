// OpenPlugin's validation, and the plugins' behaviour against a port nothing
// listens on (no database server needed).
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>

#include "engines/database/plugin.h"

namespace coffer::engines::database {
namespace {

// ClosedPort returns a port on 127.0.0.1 that was free a moment ago, so a
// connect to it is refused at once.
int ClosedPort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  EXPECT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  socklen_t len = sizeof(addr);
  EXPECT_EQ(getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len), 0);
  close(fd);
  return ntohs(addr.sin_port);
}

ConnectionConfig Config(std::string_view plugin, std::string url) {
  ConnectionConfig c;
  c.plugin_name = std::string(plugin);
  c.connection_url = std::move(url);
  c.username = "admin";
  c.password = "Sup3r-Secret-Pw";
  c.connect_timeout_seconds = 2;
  return c;
}

TEST(OpenPluginTest, UnknownPluginIsInvalid) {
  auto p = OpenPlugin(Config("oracle-database-plugin", "x"));
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().code(), Code::kInvalidArgument);
  EXPECT_NE(p.status().message().find("oracle-database-plugin"), std::string::npos);
}

TEST(OpenPluginTest, KnownPluginsOpenWithoutConnecting) {
  EXPECT_TRUE(OpenPlugin(Config(kPostgresPlugin,
                                "postgresql://{{username}}:{{password}}@127.0.0.1:1/postgres"))
                  .ok());
  EXPECT_TRUE(OpenPlugin(Config(kMysqlPlugin, "{{username}}:{{password}}@tcp(127.0.0.1:1)/")).ok());
  EXPECT_TRUE(
      OpenPlugin(Config("mysql-aurora-database-plugin", "{{username}}:{{password}}@tcp(h:1)/"))
          .ok());
}

TEST(OpenPluginTest, BadUrlsAreInvalidAndDoNotLeakThePassword) {
  auto pg = OpenPlugin(Config(kPostgresPlugin, "host=h password={{password}} nonsense=1"));
  ASSERT_FALSE(pg.ok());
  EXPECT_EQ(pg.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(pg.status().message().find("Sup3r-Secret-Pw"), std::string::npos);

  auto my = OpenPlugin(Config(kMysqlPlugin, "admin:Sup3r-Secret-Pw@tcp(h:1"));
  ASSERT_FALSE(my.ok());
  EXPECT_EQ(my.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(my.status().message().find("Sup3r-Secret-Pw"), std::string::npos);

  EXPECT_FALSE(OpenPlugin(Config(kPostgresPlugin, "")).ok());
  EXPECT_FALSE(OpenPlugin(Config(kMysqlPlugin, "")).ok());
}

TEST(OpenPluginTest, NegativeLifetimeIsInvalid) {
  auto c = Config(kPostgresPlugin, "postgresql://127.0.0.1:1/postgres");
  c.max_connection_lifetime = -1;
  EXPECT_FALSE(OpenPlugin(c).ok());
}

void ExpectUnavailableQuickly(const ConnectionConfig& config, std::string_view name) {
  auto plugin = OpenPlugin(config);
  ASSERT_TRUE(plugin.ok()) << plugin.status().message();
  auto start = std::chrono::steady_clock::now();
  Status st = (*plugin)->Verify();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
  EXPECT_EQ(st.code(), Code::kUnavailable) << st.message();
  EXPECT_EQ(st.message().rfind(std::string(name) + ": cannot connect: ", 0), 0u) << st.message();
  EXPECT_EQ(st.message().find("Sup3r-Secret-Pw"), std::string::npos) << st.message();
  // Every operation fails the same way; none hangs.
  EXPECT_EQ((*plugin)->CreateUser({"SELECT 1"}, "u", "p", "").code(), Code::kUnavailable);
  EXPECT_EQ((*plugin)->RevokeUser({}, "u").code(), Code::kUnavailable);
}

TEST(PluginDownTest, PostgresIsUnavailable) {
  int port = ClosedPort();
  ExpectUnavailableQuickly(
      Config(kPostgresPlugin, "postgresql://{{username}}:{{password}}@127.0.0.1:" +
                                  std::to_string(port) + "/postgres?sslmode=disable"),
      kPostgresPlugin);
}

TEST(PluginDownTest, MysqlIsUnavailable) {
  int port = ClosedPort();
  ExpectUnavailableQuickly(
      Config(kMysqlPlugin, "{{username}}:{{password}}@tcp(127.0.0.1:" + std::to_string(port) + ")/"),
      kMysqlPlugin);
}

TEST(PluginDownTest, CreateUserWithNoStatementsIsInvalid) {
  auto plugin = OpenPlugin(Config(kPostgresPlugin, "postgresql://127.0.0.1:1/postgres"));
  ASSERT_TRUE(plugin.ok());
  EXPECT_EQ((*plugin)->CreateUser({}, "u", "p", "").code(), Code::kInvalidArgument);
  EXPECT_EQ((*plugin)->CreateUser({" ; "}, "u", "p", "").code(), Code::kInvalidArgument);
  EXPECT_TRUE((*plugin)->RenewUser({}, "u", "2030-01-01 00:00:00").ok());
}

}  // namespace
}  // namespace coffer::engines::database
