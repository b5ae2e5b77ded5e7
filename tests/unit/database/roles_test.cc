// roles/<name> and LIST roles.
#include "database/database_fixture.h"

namespace coffer::engines::database::testing {
namespace {

using RolesTest = DatabaseEngineTest;

TEST_F(RolesTest, RequiresDbNameAndCreationStatements) {
  auto r = harness_.Call(Operation::kUpdate, "roles/r", {{"creation_statements", "CREATE"}});
  EXPECT_EQ(CodeOf(r), Code::kInvalidArgument);
  r = harness_.Call(Operation::kUpdate, "roles/r", {{"db_name", "pg"}});
  EXPECT_EQ(CodeOf(r), Code::kInvalidArgument);
  EXPECT_EQ(CodeOf(harness_.Call(Operation::kRead, "roles/r")), Code::kNotFound);
}

TEST_F(RolesTest, DefaultTtlAboveMaxTtlIsRejected) {
  auto r = harness_.Call(Operation::kUpdate, "roles/r",
                         {{"db_name", "pg"},
                          {"creation_statements", "CREATE"},
                          {"default_ttl", "2h"},
                          {"max_ttl", "1h"}});
  EXPECT_EQ(CodeOf(r), Code::kInvalidArgument);
  EXPECT_EQ(CodeOf(harness_.Call(Operation::kRead, "roles/r")), Code::kNotFound);
}

TEST_F(RolesTest, OnlyPasswordCredentials) {
  auto r = harness_.Call(Operation::kUpdate, "roles/r",
                         {{"db_name", "pg"},
                          {"creation_statements", "CREATE"},
                          {"credential_type", "rsa_private_key"}});
  EXPECT_EQ(CodeOf(r), Code::kInvalidArgument);
}

TEST_F(RolesTest, ReadListDelete) {
  CreateRole("readonly", {{"default_ttl", "1h"},
                          {"max_ttl", 86400},
                          {"revocation_statements", json::array({"DROP ROLE \"{{name}}\";"})}});
  CreateRole("other");
  json data = harness_.MustCall(Operation::kRead, "roles/readonly");
  EXPECT_EQ(data["db_name"], "pg");
  ASSERT_EQ(data["creation_statements"].size(), 1u);  // a string is one entry
  EXPECT_EQ(data["revocation_statements"], json::array({"DROP ROLE \"{{name}}\";"}));
  EXPECT_EQ(data["rollback_statements"], json::array());
  EXPECT_EQ(data["renew_statements"], json::array());
  EXPECT_EQ(data["default_ttl"], 3600);
  EXPECT_EQ(data["max_ttl"], 86400);
  EXPECT_EQ(data["credential_type"], "password");
  EXPECT_EQ(harness_.MustCall(Operation::kList, "roles/")["keys"],
            json::array({"other", "readonly"}));
  harness_.MustCall(Operation::kDelete, "roles/other");
  EXPECT_EQ(CodeOf(harness_.Call(Operation::kRead, "roles/other")), Code::kNotFound);
  EXPECT_EQ(harness_.MustCall(Operation::kList, "roles/")["keys"], json::array({"readonly"}));
}

TEST_F(RolesTest, UpdateKeepsFieldsNotSent) {
  CreateRole("readonly", {{"default_ttl", 60}});
  harness_.MustCall(Operation::kUpdate, "roles/readonly", {{"max_ttl", 120}});
  json data = harness_.MustCall(Operation::kRead, "roles/readonly");
  EXPECT_EQ(data["default_ttl"], 60);
  EXPECT_EQ(data["max_ttl"], 120);
  EXPECT_EQ(data["db_name"], "pg");
  // The merged role is checked too.
  EXPECT_EQ(CodeOf(harness_.Call(Operation::kUpdate, "roles/readonly", {{"max_ttl", 30}})),
            Code::kInvalidArgument);
}

TEST_F(RolesTest, NamesAreSharedWithStaticRoles) {
  Configure("pg");
  Fake().users["app"] = "initial";
  harness_.MustCall(Operation::kUpdate, "static-roles/app",
                    {{"db_name", "pg"}, {"username", "app"}, {"rotation_period", "1h"}});
  EXPECT_EQ(CodeOf(harness_.Call(Operation::kUpdate, "roles/app",
                                 {{"db_name", "pg"}, {"creation_statements", "CREATE"}})),
            Code::kInvalidArgument);
  CreateRole("dyn");
  EXPECT_EQ(CodeOf(harness_.Call(Operation::kUpdate, "static-roles/dyn",
                                 {{"db_name", "pg"}, {"username", "app"}, {"rotation_period", 60}})),
            Code::kInvalidArgument);
}

}  // namespace
}  // namespace coffer::engines::database::testing
