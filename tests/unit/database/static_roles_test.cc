// static-roles/<name>, static-creds/<name> and rotate-role/<name>.
#include "database/database_fixture.h"

namespace coffer::engines::database::testing {
namespace {

class StaticRolesTest : public DatabaseEngineTest {
 protected:
  StaticRolesTest() {
    Configure();
    Fake().users["app"] = "initial";
  }

  void CreateStatic(const std::string& name = "app", json extra = json::object()) {
    json body = {{"db_name", "pg"}, {"username", "app"}, {"rotation_period", "1h"}};
    for (auto& [key, value] : extra.items()) {
      body[key] = value;
    }
    harness_.MustCall(Operation::kUpdate, "static-roles/" + name, body);
  }

  json StaticCreds(const std::string& name = "app") {
    return harness_.MustCall(Operation::kRead, "static-creds/" + name);
  }

  bool WalEmpty() {
    auto keys = harness_.storage().List("wal/static-role/");
    return keys.ok() && keys->empty();
  }
};

TEST_F(StaticRolesTest, Validation) {
  auto call = [&](json body) { return CodeOf(harness_.Call(Operation::kUpdate, "static-roles/s", body)); };
  EXPECT_EQ(call({{"username", "app"}, {"rotation_period", 60}}), Code::kInvalidArgument);
  EXPECT_EQ(call({{"db_name", "pg"}, {"rotation_period", 60}}), Code::kInvalidArgument);
  EXPECT_EQ(call({{"db_name", "pg"}, {"username", "app"}}), Code::kInvalidArgument);
  EXPECT_EQ(call({{"db_name", "pg"}, {"username", "app"}, {"rotation_period", "4s"}}),
            Code::kInvalidArgument);
  EXPECT_EQ(call({{"db_name", "nope"}, {"username", "app"}, {"rotation_period", 60}}),
            Code::kInvalidArgument);
  EXPECT_EQ(call({{"db_name", "pg"},
                  {"username", "app"},
                  {"rotation_period", 60},
                  {"credential_type", "client_certificate"}}),
            Code::kInvalidArgument);
  EXPECT_EQ(CodeOf(harness_.Call(Operation::kRead, "static-roles/s")), Code::kNotFound);
  EXPECT_EQ(Fake().Password("app"), "initial");
  // Five seconds is the floor, inclusive.
  EXPECT_EQ(call({{"db_name", "pg"}, {"username", "app"}, {"rotation_period", 5}}), Code::kOk);
}

TEST_F(StaticRolesTest, CreatingRotatesAtOnce) {
  CreateStatic("app", {{"rotation_statements", "ALTER USER \"{{name}}\" WITH PASSWORD '{{password}}';"}});
  const std::string password = Fake().Password("app");
  EXPECT_NE(password, "initial");
  json creds = StaticCreds();
  EXPECT_EQ(creds["username"], "app");
  EXPECT_EQ(creds["password"], password);
  EXPECT_EQ(creds["last_vault_rotation"], "2018-03-22T02:24:06.945319214Z");
  EXPECT_EQ(creds["rotation_period"], 3600);
  EXPECT_EQ(creds["ttl"], 3600);

  json role = harness_.MustCall(Operation::kRead, "static-roles/app");
  EXPECT_EQ(role["db_name"], "pg");
  EXPECT_EQ(role["username"], "app");
  EXPECT_EQ(role["rotation_period"], 3600);
  EXPECT_EQ(role["rotation_statements"].size(), 1u);
  EXPECT_EQ(role["last_vault_rotation"], "2018-03-22T02:24:06.945319214Z");
  EXPECT_EQ(role["credential_type"], "password");
  EXPECT_FALSE(role.contains("password"));
  EXPECT_EQ(role.dump().find(password), std::string::npos);
  EXPECT_TRUE(WalEmpty());

  harness_.clock().Advance(std::chrono::seconds(600));
  EXPECT_EQ(StaticCreds()["ttl"], 3000);
}

TEST_F(StaticRolesTest, FailedFirstRotationStoresNothing) {
  Fake().up = false;
  auto r = harness_.Call(Operation::kUpdate, "static-roles/app",
                         {{"db_name", "pg"}, {"username", "app"}, {"rotation_period", 60}});
  EXPECT_EQ(CodeOf(r), Code::kUnavailable);
  EXPECT_EQ(CodeOf(harness_.Call(Operation::kRead, "static-roles/app")), Code::kNotFound);
  EXPECT_TRUE(WalEmpty());
  Fake().up = true;
  // A user the database does not have.
  r = harness_.Call(Operation::kUpdate, "static-roles/app",
                    {{"db_name", "pg"}, {"username", "ghost"}, {"rotation_period", 60}});
  EXPECT_EQ(CodeOf(r), Code::kInvalidArgument);
  EXPECT_EQ(CodeOf(harness_.Call(Operation::kRead, "static-roles/app")), Code::kNotFound);
}

TEST_F(StaticRolesTest, UsernameAndDbNameAreImmutable) {
  CreateStatic();
  Fake().users["other"] = "x";
  EXPECT_EQ(CodeOf(harness_.Call(Operation::kUpdate, "static-roles/app", {{"username", "other"}})),
            Code::kInvalidArgument);
  Configure("pg2");
  EXPECT_EQ(CodeOf(harness_.Call(Operation::kUpdate, "static-roles/app", {{"db_name", "pg2"}})),
            Code::kInvalidArgument);
  // Other fields change without a rotation.
  const std::string password = Fake().Password("app");
  harness_.MustCall(Operation::kUpdate, "static-roles/app", {{"rotation_period", "2h"}});
  EXPECT_EQ(harness_.MustCall(Operation::kRead, "static-roles/app")["rotation_period"], 7200);
  EXPECT_EQ(Fake().Password("app"), password);
  EXPECT_EQ(StaticCreds()["password"], password);
}

TEST_F(StaticRolesTest, NotAllowedByTheConnection) {
  harness_.MustCall(Operation::kUpdate, "config/pg", {{"allowed_roles", "someone-else"}});
  EXPECT_EQ(CodeOf(harness_.Call(Operation::kUpdate, "static-roles/app",
                                 {{"db_name", "pg"}, {"username", "app"}, {"rotation_period", 60}})),
            Code::kInvalidArgument);
  harness_.MustCall(Operation::kUpdate, "config/pg", {{"allowed_roles", "app"}});
  CreateStatic();
  harness_.MustCall(Operation::kUpdate, "config/pg", {{"allowed_roles", "someone-else"}});
  auto r = harness_.Call(Operation::kRead, "static-creds/app");
  EXPECT_EQ(CodeOf(r), Code::kInvalidArgument);
  EXPECT_EQ(r.status().message(), "\"app\" is not an allowed role");
}

TEST_F(StaticRolesTest, UnknownRole) {
  EXPECT_EQ(CodeOf(harness_.Call(Operation::kRead, "static-creds/nope")), Code::kInvalidArgument);
  EXPECT_EQ(CodeOf(harness_.Call(Operation::kUpdate, "rotate-role/nope")),
            Code::kInvalidArgument);
}

TEST_F(StaticRolesTest, RotateRoleChangesThePassword) {
  CreateStatic();
  const std::string before = Fake().Password("app");
  harness_.clock().Advance(std::chrono::seconds(10));
  harness_.MustCall(Operation::kUpdate, "rotate-role/app");
  const std::string after = Fake().Password("app");
  EXPECT_NE(before, after);
  json creds = StaticCreds();
  EXPECT_EQ(creds["password"], after);
  EXPECT_EQ(creds["last_vault_rotation"], "2018-03-22T02:24:16.945319214Z");
  EXPECT_EQ(creds["ttl"], 3600);
}

TEST_F(StaticRolesTest, ListAndDelete) {
  CreateStatic("b");
  CreateStatic("a");
  EXPECT_EQ(harness_.MustCall(Operation::kList, "static-roles/")["keys"], json::array({"a", "b"}));
  harness_.MustCall(Operation::kDelete, "static-roles/a");
  EXPECT_EQ(CodeOf(harness_.Call(Operation::kRead, "static-roles/a")), Code::kNotFound);
  EXPECT_EQ(harness_.MustCall(Operation::kList, "static-roles/")["keys"], json::array({"b"}));
  // The user stays in the database.
  EXPECT_FALSE(Fake().Password("app").empty());
}

}  // namespace
}  // namespace coffer::engines::database::testing
