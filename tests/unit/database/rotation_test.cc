// Periodic rotation of static roles, rotate-root, and the write-ahead
// records that let a rotation interrupted between the database and our
// storage finish later.
#include "database/database_fixture.h"

namespace coffer::engines::database::testing {
namespace {

class RotationTest : public DatabaseEngineTest {
 protected:
  RotationTest() {
    Configure();
    Fake().users["app"] = "initial";
    harness_.MustCall(Operation::kUpdate, "static-roles/app",
                      {{"db_name", "pg"}, {"username", "app"}, {"rotation_period", 60}});
  }

  std::string StoredPassword() {
    return harness_.MustCall(Operation::kRead, "static-creds/app")["password"];
  }
  bool HasKeys(const std::string& prefix) {
    auto keys = harness_.storage().List(prefix);
    return keys.ok() && !keys->empty();
  }
};

TEST_F(RotationTest, PeriodicRotatesOnlyDueRoles) {
  const std::string first = StoredPassword();
  harness_.clock().Advance(std::chrono::seconds(59));
  Tick();
  EXPECT_EQ(StoredPassword(), first);
  harness_.clock().Advance(std::chrono::seconds(1));
  Tick();
  const std::string second = StoredPassword();
  EXPECT_NE(second, first);
  EXPECT_EQ(Fake().Password("app"), second);
  EXPECT_EQ(harness_.MustCall(Operation::kRead, "static-creds/app")["ttl"], 60);
}

TEST_F(RotationTest, FailureKeepsTheOldPasswordAndRetriesLater) {
  const std::string first = StoredPassword();
  Fake().up = false;
  harness_.clock().Advance(std::chrono::seconds(60));
  Tick();
  EXPECT_EQ(StoredPassword(), first);
  Fake().up = true;
  harness_.clock().Advance(std::chrono::seconds(1));
  Tick();  // within the retry delay: not yet
  EXPECT_EQ(StoredPassword(), first);
  harness_.clock().Advance(std::chrono::seconds(10));
  Tick();
  EXPECT_NE(StoredPassword(), first);
  EXPECT_EQ(Fake().Password("app"), StoredPassword());
  EXPECT_FALSE(HasKeys("wal/static-role/"));
}

TEST_F(RotationTest, InterruptedRotationIsFinishedFromItsRecord) {
  const std::string first = StoredPassword();
  // The database takes the new password but the answer is lost.
  Fake().set_password_applies_then_fails = true;
  EXPECT_EQ(CodeOf(harness_.Call(Operation::kUpdate, "rotate-role/app")), Code::kUnavailable);
  Fake().set_password_applies_then_fails = false;
  const std::string in_database = Fake().Password("app");
  EXPECT_NE(in_database, first);
  EXPECT_EQ(StoredPassword(), first);
  EXPECT_TRUE(HasKeys("wal/static-role/"));

  Tick();  // not due, but a pending record is finished first
  EXPECT_EQ(StoredPassword(), in_database);
  EXPECT_EQ(Fake().Password("app"), in_database);
  EXPECT_FALSE(HasKeys("wal/static-role/"));
}

TEST_F(RotationTest, RefusedRotationLeavesNoRecord) {
  Fake().users.erase("app");  // the database refuses: no such user
  EXPECT_EQ(CodeOf(harness_.Call(Operation::kUpdate, "rotate-role/app")),
            Code::kInvalidArgument);
  EXPECT_FALSE(HasKeys("wal/static-role/"));
}

TEST_F(RotationTest, RecordOfADeletedRoleIsDropped) {
  Fake().set_password_applies_then_fails = true;
  EXPECT_FALSE(harness_.Call(Operation::kUpdate, "rotate-role/app").ok());
  Fake().set_password_applies_then_fails = false;
  ASSERT_TRUE(HasKeys("wal/static-role/"));
  harness_.MustCall(Operation::kDelete, "static-roles/app");
  EXPECT_FALSE(HasKeys("wal/static-role/"));
  Tick();
}

TEST_F(RotationTest, RotateRootKeepsTheEngineWorking) {
  CreateRole();
  harness_.MustCall(Operation::kUpdate, "rotate-root/pg");
  const std::string root = Fake().Password("admin");
  EXPECT_NE(root, "rootpw");
  EXPECT_EQ(harness_.MustCall(Operation::kRead, "config/pg").dump().find(root), std::string::npos);
  // The pooled connection and a reopened one both use the new password.
  EXPECT_TRUE(harness_.Call(Operation::kRead, "creds/readonly").ok());
  harness_.MustCall(Operation::kUpdate, "reset/pg");
  EXPECT_TRUE(harness_.Call(Operation::kRead, "creds/readonly").ok());
  // A verified config update keeps the rotated password.
  harness_.MustCall(Operation::kUpdate, "config/pg", {{"allowed_roles", "*"}});
  EXPECT_FALSE(HasKeys("wal/rotate-root/"));
}

TEST_F(RotationTest, RotateRootNeedsAUsername) {
  harness_.MustCall(Operation::kUpdate, "config/nouser",
                    {{"plugin_name", "postgresql-database-plugin"},
                     {"connection_url", "postgresql://db/postgres"},
                     {"verify_connection", false}});
  EXPECT_EQ(CodeOf(harness_.Call(Operation::kUpdate, "rotate-root/nouser")),
            Code::kInvalidArgument);
  EXPECT_EQ(CodeOf(harness_.Call(Operation::kUpdate, "rotate-root/missing")),
            Code::kInvalidArgument);
}

TEST_F(RotationTest, InterruptedRootRotationIsFinishedFromItsRecord) {
  CreateRole();
  Fake().set_password_applies_then_fails = true;
  EXPECT_EQ(CodeOf(harness_.Call(Operation::kUpdate, "rotate-root/pg")), Code::kUnavailable);
  Fake().set_password_applies_then_fails = false;
  EXPECT_NE(Fake().Password("admin"), "rootpw");
  EXPECT_TRUE(HasKeys("wal/rotate-root/"));
  // The stored (old) password no longer logs in.
  EXPECT_EQ(CodeOf(harness_.Call(Operation::kRead, "creds/readonly")), Code::kPermissionDenied);

  Tick();
  EXPECT_FALSE(HasKeys("wal/rotate-root/"));
  EXPECT_TRUE(harness_.Call(Operation::kRead, "creds/readonly").ok());
}

TEST_F(RotationTest, SettingTheRootPasswordByHandDropsAPendingRotation) {
  Fake().set_password_applies_then_fails = true;
  EXPECT_FALSE(harness_.Call(Operation::kUpdate, "rotate-root/pg").ok());
  Fake().set_password_applies_then_fails = false;
  Fake().users["admin"] = "chosen";
  harness_.MustCall(Operation::kUpdate, "config/pg", {{"password", "chosen"}});
  EXPECT_FALSE(HasKeys("wal/rotate-root/"));
  Tick();
  EXPECT_EQ(Fake().Password("admin"), "chosen");
}

}  // namespace
}  // namespace coffer::engines::database::testing
