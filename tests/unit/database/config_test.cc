// config/<name>, LIST config, reset/<name>.
#include "database/database_fixture.h"

namespace coffer::engines::database::testing {
namespace {

using ConfigTest = DatabaseEngineTest;

TEST_F(ConfigTest, UnknownPluginIsRejected) {
  auto r = harness_.Call(Operation::kUpdate, "config/x",
                         {{"plugin_name", "oracle-database-plugin"}, {"verify_connection", false}});
  EXPECT_EQ(CodeOf(r), Code::kInvalidArgument);
  EXPECT_NE(r.status().message().find("oracle-database-plugin"), std::string::npos);
  EXPECT_EQ(CodeOf(harness_.Call(Operation::kRead, "config/x")), Code::kNotFound);
}

TEST_F(ConfigTest, RealEngineRejectsUnknownPlugin) {
  EngineHarness real("database");
  auto r = real.Call(Operation::kUpdate, "config/x",
                     {{"plugin_name", "nope"}, {"verify_connection", false}});
  EXPECT_EQ(CodeOf(r), Code::kInvalidArgument);
}

// The real plugins check the config without connecting, so a config that
// is not verified is stored without a database.
TEST_F(ConfigTest, RealPluginsStoreAnUnverifiedConfig) {
  EngineHarness real("database");
  real.MustCall(Operation::kUpdate, "config/pg",
                {{"plugin_name", "postgresql-database-plugin"},
                 {"connection_url",
                  "postgresql://{{username}}:{{password}}@127.0.0.1:1/postgres?sslmode=disable"},
                 {"username", "admin"},
                 {"password", "secret"},
                 {"verify_connection", false}});
  real.MustCall(Operation::kUpdate, "config/my",
                {{"plugin_name", "mysql-database-plugin"},
                 {"connection_url", "{{username}}:{{password}}@tcp(127.0.0.1:1)/"},
                 {"username", "admin"},
                 {"password", "secret"},
                 {"verify_connection", false}});
  json data = real.MustCall(Operation::kRead, "config/pg");
  EXPECT_EQ(data.dump().find("secret"), std::string::npos);
  EXPECT_EQ(real.MustCall(Operation::kList, "config/")["keys"], json::array({"my", "pg"}));
  // Verifying against nothing listening fails, and stores nothing.
  auto r = real.Call(Operation::kUpdate, "config/down",
                     {{"plugin_name", "postgresql-database-plugin"},
                      {"connection_url",
                       "postgresql://{{username}}:{{password}}@127.0.0.1:1/postgres"},
                      {"username", "admin"},
                      {"password", "secret"}});
  EXPECT_EQ(CodeOf(r), Code::kInvalidArgument);
  EXPECT_EQ(r.status().message().find("secret"), std::string::npos);
  EXPECT_EQ(CodeOf(real.Call(Operation::kRead, "config/down")), Code::kNotFound);
  // A role on a real connection is refused creds until allowed.
  real.MustCall(Operation::kUpdate, "roles/r",
                {{"db_name", "pg"}, {"creation_statements", "CREATE ROLE \"{{name}}\";"}});
  EXPECT_EQ(CodeOf(real.Call(Operation::kRead, "creds/r")), Code::kInvalidArgument);
  EXPECT_EQ(CodeOf(real.Call(Operation::kRead, "creds/unknown")), Code::kInvalidArgument);
}

TEST_F(ConfigTest, MissingPluginNameIsRejected) {
  auto r = harness_.Call(Operation::kUpdate, "config/x", {{"connection_url", "x"}});
  EXPECT_EQ(CodeOf(r), Code::kInvalidArgument);
  EXPECT_EQ(r.status().message(), "empty plugin name");
}

TEST_F(ConfigTest, ReadHasVaultShapeAndNeverThePassword) {
  Configure("pg", {{"allowed_roles", "a,b"},
                   {"root_rotation_statements", "ALTER USER \"{{name}}\" PASSWORD '{{password}}'"},
                   {"max_connection_lifetime", "1m"}});
  json data = harness_.MustCall(Operation::kRead, "config/pg");
  EXPECT_EQ(data["plugin_name"], "postgresql-database-plugin");
  EXPECT_EQ(data["connection_details"]["connection_url"],
            "postgresql://{{username}}:{{password}}@db/postgres");
  EXPECT_EQ(data["connection_details"]["username"], "admin");
  EXPECT_EQ(data["connection_details"]["max_open_connections"], 4);
  EXPECT_EQ(data["connection_details"]["max_idle_connections"], 4);
  EXPECT_EQ(data["connection_details"]["max_connection_lifetime"], "1m0s");
  EXPECT_EQ(data["allowed_roles"], json::array({"a", "b"}));
  EXPECT_EQ(data["root_credentials_rotate_statements"].size(), 1u);
  EXPECT_EQ(data["password_policy"], "");
  EXPECT_EQ(data["verify_connection"], true);
  EXPECT_EQ(data["plugin_version"], "");
  EXPECT_EQ(data.dump().find("rootpw"), std::string::npos) << data.dump();
  EXPECT_FALSE(data["connection_details"].contains("password"));
}

TEST_F(ConfigTest, UpdateKeepsFieldsNotSent) {
  Configure("pg", {{"allowed_roles", "readonly"}});
  // Only allowed_roles: the password must be kept, or this verify fails.
  harness_.MustCall(Operation::kUpdate, "config/pg", {{"allowed_roles", json::array({"x", "y"})}});
  json data = harness_.MustCall(Operation::kRead, "config/pg");
  EXPECT_EQ(data["plugin_name"], "postgresql-database-plugin");
  EXPECT_EQ(data["connection_details"]["username"], "admin");
  EXPECT_EQ(data["allowed_roles"], json::array({"x", "y"}));
}

TEST_F(ConfigTest, FailedVerificationStoresNothing) {
  Fake().up = false;
  auto r = harness_.Call(Operation::kUpdate, "config/pg",
                         {{"plugin_name", "postgresql-database-plugin"},
                          {"connection_url", "postgresql://{{username}}:{{password}}@db/"},
                          {"username", "admin"},
                          {"password", "rootpw"}});
  EXPECT_EQ(CodeOf(r), Code::kInvalidArgument);
  EXPECT_NE(r.status().message().find("connection refused"), std::string::npos);
  EXPECT_EQ(CodeOf(harness_.Call(Operation::kRead, "config/pg")), Code::kNotFound);
}

TEST_F(ConfigTest, WrongPasswordFailsVerificationButNotWithoutIt) {
  EXPECT_EQ(CodeOf(harness_.Call(Operation::kUpdate, "config/pg",
                                 {{"plugin_name", "mysql-database-plugin"},
                                  {"connection_url", "{{username}}:{{password}}@tcp(db:3306)/"},
                                  {"username", "admin"},
                                  {"password", "wrong"}})),
            Code::kInvalidArgument);
  harness_.MustCall(Operation::kUpdate, "config/pg",
                    {{"plugin_name", "mysql-database-plugin"},
                     {"connection_url", "{{username}}:{{password}}@tcp(db:3306)/"},
                     {"username", "admin"},
                     {"password", "wrong"},
                     {"verify_connection", false}});
  EXPECT_EQ(harness_.MustCall(Operation::kRead, "config/pg")["verify_connection"], false);
}

TEST_F(ConfigTest, ListAndDelete) {
  EXPECT_EQ(CodeOf(harness_.Call(Operation::kList, "config/")), Code::kNotFound);
  Configure("b");
  Configure("a");
  EXPECT_EQ(harness_.MustCall(Operation::kList, "config/")["keys"], json::array({"a", "b"}));
  harness_.MustCall(Operation::kDelete, "config/a");
  EXPECT_EQ(CodeOf(harness_.Call(Operation::kRead, "config/a")), Code::kNotFound);
  EXPECT_EQ(harness_.MustCall(Operation::kList, "config/")["keys"], json::array({"b"}));
}

TEST_F(ConfigTest, DeleteClosesThePoolAndResetReopensIt) {
  Configure("pg");
  EXPECT_EQ(Fake().live, 1);
  const int opened = Fake().opened;
  harness_.MustCall(Operation::kUpdate, "reset/pg");
  EXPECT_EQ(Fake().opened, opened + 1);
  EXPECT_EQ(Fake().live, 1);
  harness_.MustCall(Operation::kDelete, "config/pg");
  EXPECT_EQ(Fake().live, 0);
  EXPECT_EQ(CodeOf(harness_.Call(Operation::kUpdate, "reset/pg")), Code::kInvalidArgument);
}

TEST_F(ConfigTest, ExistenceCheck) {
  EXPECT_FALSE(*harness_.Exists("config/pg"));
  Configure("pg");
  EXPECT_TRUE(*harness_.Exists("config/pg"));
}

TEST_F(ConfigTest, LiteralPasswordInUrlDrawsAWarning) {
  auto r = harness_.Call(Operation::kUpdate, "config/pg",
                         {{"plugin_name", "postgresql-database-plugin"},
                          {"connection_url", "postgresql://admin:rootpw@db:5432/postgres"},
                          {"username", "admin"},
                          {"password", "rootpw"}});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->warnings.size(), 1u);
  Configure("pg");  // templated: no warning
}

TEST_F(ConfigTest, NegativeConnectionLimitsAreRejected) {
  Configure("pg");
  EXPECT_EQ(CodeOf(harness_.Call(Operation::kUpdate, "config/pg",
                                 {{"max_open_connections", -1}})),
            Code::kInvalidArgument);
}

}  // namespace
}  // namespace coffer::engines::database::testing
