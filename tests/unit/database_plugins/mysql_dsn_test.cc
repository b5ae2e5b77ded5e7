#include "engines/database/mysql_dsn.h"

#include <gtest/gtest.h>

namespace coffer::engines::database {
namespace {

TEST(MysqlDsnTest, VaultTemplate) {
  auto dsn = ParseMysqlDsn("{{username}}:{{password}}@tcp(127.0.0.1:3307)/");
  ASSERT_TRUE(dsn.ok()) << dsn.status().message();
  EXPECT_EQ(dsn->user, "{{username}}");
  EXPECT_EQ(dsn->password, "{{password}}");
  EXPECT_FALSE(dsn->unix_socket);
  EXPECT_EQ(dsn->host, "127.0.0.1");
  EXPECT_EQ(dsn->port, 3307u);
  EXPECT_EQ(dsn->database, "");
}

TEST(MysqlDsnTest, PasswordMayHoldSeparators) {
  auto dsn = ParseMysqlDsn("root:p@ss:w/rd(x)@tcp(db.example:3306)/app");
  ASSERT_TRUE(dsn.ok()) << dsn.status().message();
  EXPECT_EQ(dsn->user, "root");
  EXPECT_EQ(dsn->password, "p@ss:w/rd(x)");
  EXPECT_EQ(dsn->host, "db.example");
  EXPECT_EQ(dsn->database, "app");
}

TEST(MysqlDsnTest, UnixSocket) {
  auto dsn = ParseMysqlDsn("root@unix(/run/mysqld/mysqld.sock)/");
  ASSERT_TRUE(dsn.ok()) << dsn.status().message();
  EXPECT_TRUE(dsn->unix_socket);
  EXPECT_EQ(dsn->socket_path, "/run/mysqld/mysqld.sock");
  EXPECT_EQ(dsn->user, "root");
  EXPECT_EQ(dsn->password, "");
}

TEST(MysqlDsnTest, Defaults) {
  auto dsn = ParseMysqlDsn("/");
  ASSERT_TRUE(dsn.ok());
  EXPECT_EQ(dsn->host, "127.0.0.1");
  EXPECT_EQ(dsn->port, 3306u);
  auto no_port = ParseMysqlDsn("u:p@tcp(localhost)/db");
  ASSERT_TRUE(no_port.ok());
  EXPECT_EQ(no_port->host, "localhost");
  EXPECT_EQ(no_port->port, 3306u);
}

TEST(MysqlDsnTest, Ipv6) {
  auto dsn = ParseMysqlDsn("u:p@tcp([::1]:3310)/db");
  ASSERT_TRUE(dsn.ok()) << dsn.status().message();
  EXPECT_EQ(dsn->host, "::1");
  EXPECT_EQ(dsn->port, 3310u);
}

TEST(MysqlDsnTest, ParamsAndEscapedDatabase) {
  auto dsn = ParseMysqlDsn("u:p@tcp(h:1)/my%20db?tls=skip-verify&timeout=1500ms&readTimeout=1m"
                           "&writeTimeout=2s&parseTime=true");
  ASSERT_TRUE(dsn.ok()) << dsn.status().message();
  EXPECT_EQ(dsn->database, "my db");
  EXPECT_EQ(dsn->timeout_seconds, 2);
  EXPECT_EQ(dsn->read_timeout_seconds, 60);
  EXPECT_EQ(dsn->write_timeout_seconds, 2);
}

TEST(MysqlDsnTest, Rejects) {
  EXPECT_FALSE(ParseMysqlDsn("no-slash").ok());
  EXPECT_FALSE(ParseMysqlDsn("u:p@tcp(h:1/db").ok());
  EXPECT_FALSE(ParseMysqlDsn("u:p@udp(h:1)/").ok());
  EXPECT_FALSE(ParseMysqlDsn("u:p@tcp(h:99999)/").ok());
  EXPECT_FALSE(ParseMysqlDsn("u:p@tcp(h:port)/").ok());
  EXPECT_FALSE(ParseMysqlDsn("u:p@tcp(h:1)/?timeout=5x").ok());
  EXPECT_FALSE(ParseMysqlDsn("u:p@tcp(h:1)/%zz").ok());
}

TEST(MysqlDsnTest, ErrorsDoNotRepeatThePassword) {
  auto dsn = ParseMysqlDsn("u:hunter2@udp(h:1)/");
  ASSERT_FALSE(dsn.ok());
  EXPECT_EQ(dsn.status().message().find("hunter2"), std::string::npos);
}

TEST(GoDurationTest, Parses) {
  EXPECT_EQ(*ParseGoDurationSeconds("0"), 0);
  EXPECT_EQ(*ParseGoDurationSeconds("5s"), 5);
  EXPECT_EQ(*ParseGoDurationSeconds("1m30s"), 90);
  EXPECT_EQ(*ParseGoDurationSeconds("1h"), 3600);
  EXPECT_EQ(*ParseGoDurationSeconds("1.5s"), 2);
  EXPECT_EQ(*ParseGoDurationSeconds("10ms"), 1);
  EXPECT_FALSE(ParseGoDurationSeconds("").ok());
  EXPECT_FALSE(ParseGoDurationSeconds("5").ok());
  EXPECT_FALSE(ParseGoDurationSeconds("s").ok());
  EXPECT_FALSE(ParseGoDurationSeconds("5d").ok());
}

}  // namespace
}  // namespace coffer::engines::database
