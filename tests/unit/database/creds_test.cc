// creds/<role> and the "creds" secret's renewal and revocation.
#include <regex>

#include "database/database_fixture.h"

namespace coffer::engines::database::testing {
namespace {

using CredsTest = DatabaseEngineTest;

TEST_F(CredsTest, UnknownRole) {
  Configure();
  auto r = harness_.Call(Operation::kRead, "creds/nope");
  EXPECT_EQ(CodeOf(r), Code::kInvalidArgument);
  EXPECT_EQ(r.status().message(), "unknown role: nope");
}

TEST_F(CredsTest, MissingConnection) {
  CreateRole("readonly", {{"db_name", "gone"}});
  EXPECT_EQ(CodeOf(harness_.Call(Operation::kRead, "creds/readonly")), Code::kInvalidArgument);
}

TEST_F(CredsTest, RoleNotInAllowedRoles) {
  Configure("pg", {{"allowed_roles", json::array()}});
  CreateRole("readonly");
  auto r = harness_.Call(Operation::kRead, "creds/readonly");
  EXPECT_EQ(CodeOf(r), Code::kInvalidArgument);
  EXPECT_EQ(r.status().message(), "\"readonly\" is not an allowed role");
  harness_.MustCall(Operation::kUpdate, "config/pg", {{"allowed_roles", "other"}});
  EXPECT_EQ(CodeOf(harness_.Call(Operation::kRead, "creds/readonly")), Code::kInvalidArgument);
  harness_.MustCall(Operation::kUpdate, "config/pg", {{"allowed_roles", "other,read*"}});
  EXPECT_TRUE(harness_.Call(Operation::kRead, "creds/readonly").ok());
  EXPECT_TRUE(Fake().log.size() == 1);
}

TEST_F(CredsTest, CreatesAUserUnderALease) {
  Configure();
  CreateRole("readonly-long-name", {{"default_ttl", "1h"}, {"max_ttl", "24h"},
                                    {"revocation_statements", "DROP ROLE \"{{name}}\";"}});
  auto r = harness_.Call(Operation::kRead, "creds/readonly-long-name");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const std::string username = r->data["username"];
  const std::string password = r->data["password"];
  EXPECT_TRUE(std::regex_match(username, std::regex("v-readonly-l-[a-z0-9]{20}-1521685446")))
      << username;
  EXPECT_EQ(password.size(), 20u);
  EXPECT_TRUE(Fake().CanLogin(username, password));
  // The clock is 2018-03-22T02:24:06Z; the user is valid for the lease.
  EXPECT_EQ(Fake().valid_until[username], "2018-03-22 03:24:06+0000");

  ASSERT_TRUE(r->secret.has_value());
  EXPECT_EQ(r->secret->type, "creds");
  EXPECT_EQ(r->secret->ttl, 3600);
  EXPECT_EQ(r->secret->max_ttl, 86400);
  EXPECT_TRUE(r->secret->renewable);
  EXPECT_EQ(r->secret->internal["username"], username);
  EXPECT_EQ(r->secret->internal["role"], "readonly-long-name");
  EXPECT_EQ(r->secret->internal["db_name"], "pg");
  EXPECT_EQ(r->secret->internal["revocation_statements"].size(), 1u);
  EXPECT_EQ(r->secret->internal.dump().find(password), std::string::npos);
}

TEST_F(CredsTest, TtlsComeFromTheMountWhenTheRoleHasNone) {
  Configure();
  CreateRole();
  auto r = CallWithTtls(Operation::kRead, "creds/readonly", 600, 1200);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->secret->ttl, 600);
  EXPECT_EQ(r->secret->max_ttl, 1200);
  // A role's maximum above the mount's is capped by it, and caps the ttl.
  harness_.MustCall(Operation::kUpdate, "roles/readonly", {{"default_ttl", 5000}, {"max_ttl", 9000}});
  r = CallWithTtls(Operation::kRead, "creds/readonly", 600, 1200);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->secret->ttl, 1200);
  EXPECT_EQ(r->secret->max_ttl, 1200);
}

TEST_F(CredsTest, MysqlUserNamesFitIn32Characters) {
  Configure("my", {{"connection_url", "{{username}}:{{password}}@tcp(db:3306)/"}},
            "mysql-database-plugin");
  CreateRole("app", {{"db_name", "my"}});
  json data = harness_.MustCall(Operation::kRead, "creds/app");
  const std::string username = data["username"];
  EXPECT_EQ(username.size(), 32u);
  EXPECT_TRUE(std::regex_match(username, std::regex("v-app-[a-z0-9]{20}-[0-9]{5}"))) << username;
}

TEST_F(CredsTest, LegacyMysqlUserNamesFitIn16Characters) {
  Configure("rds", {{"connection_url", "{{username}}:{{password}}@tcp(db:3306)/"}},
            "mysql-rds-database-plugin");
  CreateRole("application", {{"db_name", "rds"}});
  json data = harness_.MustCall(Operation::kRead, "creds/application");
  const std::string username = data["username"];
  EXPECT_TRUE(std::regex_match(username, std::regex("v-appl-[a-z0-9]{9}"))) << username;
}

TEST_F(CredsTest, FailureRunsRollbackAndKeepsThePluginsCode) {
  Configure();
  CreateRole("readonly", {{"rollback_statements", "DROP ROLE IF EXISTS \"{{name}}\";"}});
  Fake().fail_create = Status::FailedPrecondition("permission denied to create role");
  auto r = harness_.Call(Operation::kRead, "creds/readonly");
  EXPECT_EQ(CodeOf(r), Code::kFailedPrecondition);
  EXPECT_NE(r.status().message().find("permission denied to create role"), std::string::npos);
  ASSERT_EQ(Fake().log.size(), 1u);
  EXPECT_EQ(Fake().log[0].rfind("revoke v-readonly-", 0), 0u);

  Fake().fail_create = Status::Ok();
  Fake().up = false;
  EXPECT_EQ(CodeOf(harness_.Call(Operation::kRead, "creds/readonly")), Code::kUnavailable);
}

TEST_F(CredsTest, RevokeDropsTheUser) {
  Configure();
  CreateRole();
  auto r = harness_.Call(Operation::kRead, "creds/readonly");
  ASSERT_TRUE(r.ok());
  core::LeaseInfo lease;
  lease.lease_id = "database/creds/readonly/x";
  lease.type = "creds";
  lease.internal = r->secret->internal;
  const std::string username = r->data["username"];
  ASSERT_TRUE(harness_.engine().RevokeSecret(Context(), lease).ok());
  EXPECT_EQ(Fake().Password(username), "");
  // Idempotent, as the core retries revocations.
  EXPECT_TRUE(harness_.engine().RevokeSecret(Context(), lease).ok());
  // Without its connection the lease cannot be revoked (and is kept).
  harness_.MustCall(Operation::kDelete, "config/pg");
  EXPECT_FALSE(harness_.engine().RevokeSecret(Context(), lease).ok());
}

TEST_F(CredsTest, RenewExtendsTheUser) {
  Configure();
  CreateRole("readonly", {{"renew_statements", "ALTER ROLE \"{{name}}\" VALID UNTIL "
                                               "'{{expiration}}';"}});
  auto r = harness_.Call(Operation::kRead, "creds/readonly");
  ASSERT_TRUE(r.ok());
  core::LeaseInfo lease;
  lease.type = "creds";
  lease.internal = r->secret->internal;
  lease.new_ttl = 7200;
  ASSERT_TRUE(harness_.engine().RenewSecret(Context(), lease).ok());
  EXPECT_EQ(Fake().valid_until[r->data["username"]], "2018-03-22 04:24:06+0000");
}

TEST_F(CredsTest, PostgresRenewDefaultsToValidUntil) {
  Configure();
  CreateRole();
  auto r = harness_.Call(Operation::kRead, "creds/readonly");
  ASSERT_TRUE(r.ok());
  core::LeaseInfo lease;
  lease.type = "creds";
  lease.internal = r->secret->internal;
  lease.new_ttl = 60;
  ASSERT_TRUE(harness_.engine().RenewSecret(Context(), lease).ok());
  ASSERT_EQ(Fake().log.size(), 2u);
  EXPECT_NE(Fake().log[1].find("VALID UNTIL"), std::string::npos);
}

}  // namespace
}  // namespace coffer::engines::database::testing
