// approle: roles, role-ids, secret-ids and login, driven through the engine
// as the Router would (an inmem view, a fake clock).
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "auth/approle/approle_state.h"
#include "base/encoding.h"
#include "core/framework/json_util.h"
#include "crypto/hash.h"
#include "engines/engine_harness.h"

namespace coffer::engines::testing {
namespace {

using core::Operation;
using nlohmann::json;

// Snapshot reads every key of the view, for "nothing changed" checks.
std::map<std::string, std::string> Snapshot(storage::Backend& storage,
                                            const std::string& prefix = "") {
  std::map<std::string, std::string> out;
  Result<std::vector<std::string>> keys = storage.List(prefix);
  EXPECT_TRUE(keys.ok());
  for (const std::string& key : *keys) {
    if (key.back() == '/') {
      std::map<std::string, std::string> below = Snapshot(storage, prefix + key);
      out.insert(below.begin(), below.end());
    } else {
      Result<std::string> value = storage.Get(prefix + key);
      EXPECT_TRUE(value.ok());
      out[prefix + key] = *value;
    }
  }
  return out;
}

class AppRoleTest : public ::testing::Test {
 protected:
  // CreateRole writes role `name` with `body` as the Router would a new one.
  void CreateRole(const std::string& name, json body = json::object()) {
    h_.MustCall(Operation::kCreate, "role/" + name, std::move(body));
  }
  std::string RoleId(const std::string& name) {
    return h_.MustCall(Operation::kRead, "role/" + name + "/role-id")["role_id"];
  }
  json NewSecretId(const std::string& name, json body = json::object()) {
    return h_.MustCall(Operation::kUpdate, "role/" + name + "/secret-id", std::move(body));
  }
  Result<core::Response> Login(const std::string& role_id, const std::string& secret_id) {
    json body = {{"role_id", role_id}};
    if (!secret_id.empty()) {
      body["secret_id"] = secret_id;
    }
    return h_.Call(Operation::kUpdate, "login", body);
  }
  // ExpectLoginFails checks the uniform refusal of bad credentials.
  void ExpectLoginFails(const std::string& role_id, const std::string& secret_id) {
    Result<core::Response> r = Login(role_id, secret_id);
    ASSERT_EQ(CodeOf(r), Code::kInvalidArgument);
    EXPECT_EQ(r.status().message(), "invalid role or secret ID");
  }

  EngineHarness h_{"approle"};
};

TEST_F(AppRoleTest, RoleCreateReadUpdateListDelete) {
  CreateRole("MyApp", {{"token_policies", "p1,p2"},
                       {"secret_id_num_uses", 5},
                       {"secret_id_ttl", "10m"},
                       {"token_ttl", "1h"}});
  json role = h_.MustCall(Operation::kRead, "role/myapp");
  EXPECT_EQ(role["token_policies"], json({"p1", "p2"}));
  EXPECT_EQ(role["secret_id_num_uses"], 5);
  EXPECT_EQ(role["secret_id_ttl"], 600);
  EXPECT_EQ(role["token_ttl"], 3600);
  EXPECT_EQ(role["bind_secret_id"], true);
  EXPECT_EQ(role["local_secret_ids"], false);
  EXPECT_EQ(role["secret_id_bound_cidrs"], json::array());
  EXPECT_FALSE(role.contains("role_id"));
  // Names are case-insensitive.
  EXPECT_EQ(h_.MustCall(Operation::kRead, "role/MYAPP"), role);
  EXPECT_EQ(h_.MustCall(Operation::kList, "role"), json({{"keys", {"myapp"}}}));

  // An update changes only what it gives.
  h_.MustCall(Operation::kUpdate, "role/myapp", {{"token_ttl", "2h"}});
  role = h_.MustCall(Operation::kRead, "role/myapp");
  EXPECT_EQ(role["token_ttl"], 7200);
  EXPECT_EQ(role["token_policies"], json({"p1", "p2"}));
  EXPECT_EQ(role["secret_id_num_uses"], 5);

  EXPECT_EQ(h_.Exists("role/myapp").value(), true);
  EXPECT_EQ(h_.Exists("role/other").value(), false);

  h_.MustCall(Operation::kDelete, "role/myapp");
  EXPECT_EQ(CodeOf(h_.Call(Operation::kRead, "role/myapp")), Code::kNotFound);
  EXPECT_EQ(CodeOf(h_.Call(Operation::kList, "role")), Code::kNotFound);
  // Deleting a missing role is a no-op.
  h_.MustCall(Operation::kDelete, "role/myapp");
}

TEST_F(AppRoleTest, RoleIdIsGeneratedAndCanBeSetButNotShared) {
  CreateRole("a");
  CreateRole("b");
  const std::string generated = RoleId("a");
  EXPECT_EQ(generated.size(), 36u);
  EXPECT_NE(generated, RoleId("b"));

  h_.MustCall(Operation::kUpdate, "role/a/role-id", {{"role_id", "custom-role-id"}});
  EXPECT_EQ(RoleId("a"), "custom-role-id");
  Result<core::Response> taken =
      h_.Call(Operation::kUpdate, "role/b/role-id", {{"role_id", "custom-role-id"}});
  EXPECT_EQ(CodeOf(taken), Code::kInvalidArgument);
  EXPECT_EQ(taken.status().message(), "role_id already in use");
  Result<core::Response> taken_at_create =
      h_.Call(Operation::kCreate, "role/c", {{"role_id", "custom-role-id"}});
  EXPECT_EQ(CodeOf(taken_at_create), Code::kInvalidArgument);
  EXPECT_EQ(CodeOf(h_.Call(Operation::kRead, "role/c")), Code::kNotFound);

  // The new role_id logs in; the old one no longer does.
  const std::string secret_id = NewSecretId("a")["secret_id"];
  ExpectLoginFails(generated, secret_id);
  EXPECT_TRUE(Login("custom-role-id", secret_id).ok());

  EXPECT_EQ(CodeOf(h_.Call(Operation::kRead, "role/missing/role-id")), Code::kNotFound);
  EXPECT_EQ(CodeOf(h_.Call(Operation::kUpdate, "role/missing/role-id", {{"role_id", "x"}})),
            Code::kNotFound);
  EXPECT_EQ(CodeOf(h_.Call(Operation::kUpdate, "role/a/role-id", json::object())),
            Code::kInvalidArgument);
}

TEST_F(AppRoleTest, SecretIdGenerateListLookupDestroy) {
  CreateRole("app", {{"secret_id_ttl", "1h"}});
  json issued =
      NewSecretId("app", {{"metadata", R"({"env":"prod"})"}, {"cidr_list", "10.0.0.0/8"}});
  const std::string secret_id = issued["secret_id"];
  const std::string accessor = issued["secret_id_accessor"];
  EXPECT_EQ(secret_id.size(), 36u);
  EXPECT_EQ(issued["secret_id_ttl"], 3600);
  EXPECT_EQ(issued["secret_id_num_uses"], 0);
  EXPECT_EQ(h_.MustCall(Operation::kList, "role/app/secret-id"), json({{"keys", {accessor}}}));

  json by_id =
      h_.MustCall(Operation::kUpdate, "role/app/secret-id/lookup", {{"secret_id", secret_id}});
  EXPECT_FALSE(by_id.contains("secret_id"));
  EXPECT_EQ(by_id["secret_id_accessor"], accessor);
  EXPECT_EQ(by_id["metadata"], json({{"env", "prod"}}));
  EXPECT_EQ(by_id["cidr_list"], json({"10.0.0.0/8"}));
  EXPECT_EQ(by_id["token_bound_cidrs"], json::array());
  EXPECT_EQ(by_id["secret_id_ttl"], 3600);
  EXPECT_EQ(by_id["secret_id_num_uses"], 0);
  EXPECT_EQ(by_id["creation_time"], "2018-03-22T02:24:06.945319214Z");
  EXPECT_EQ(by_id["last_updated_time"], "2018-03-22T02:24:06.945319214Z");
  EXPECT_EQ(by_id["expiration_time"], "2018-03-22T03:24:06.945319214Z");
  json by_accessor = h_.MustCall(Operation::kUpdate, "role/app/secret-id-accessor/lookup",
                                 {{"secret_id_accessor", accessor}});
  EXPECT_EQ(by_accessor, by_id);

  // Destroy by accessor.
  h_.MustCall(Operation::kUpdate, "role/app/secret-id-accessor/destroy",
              {{"secret_id_accessor", accessor}});
  EXPECT_EQ(CodeOf(h_.Call(Operation::kList, "role/app/secret-id")), Code::kNotFound);
  Result<core::Response> gone =
      h_.Call(Operation::kUpdate, "role/app/secret-id/lookup", {{"secret_id", secret_id}});
  ASSERT_TRUE(gone.ok());
  EXPECT_TRUE(gone->data.is_null());
  EXPECT_EQ(CodeOf(h_.Call(Operation::kUpdate, "role/app/secret-id-accessor/lookup",
                           {{"secret_id_accessor", accessor}})),
            Code::kNotFound);

  // Destroy by secret-id, with DELETE.
  const std::string second = NewSecretId("app")["secret_id"];
  h_.MustCall(Operation::kDelete, "role/app/secret-id/destroy", {{"secret_id", second}});
  EXPECT_EQ(CodeOf(h_.Call(Operation::kList, "role/app/secret-id")), Code::kNotFound);
  ExpectLoginFails(RoleId("app"), second);

  EXPECT_EQ(CodeOf(h_.Call(Operation::kUpdate, "role/nope/secret-id")), Code::kNotFound);
  EXPECT_EQ(CodeOf(h_.Call(Operation::kList, "role/nope/secret-id")), Code::kNotFound);
}

TEST_F(AppRoleTest, SecretIdIsNeverStoredInTheClear) {
  CreateRole("app");
  const std::string secret_id = NewSecretId("app")["secret_id"];
  h_.MustCall(Operation::kUpdate, "role/app/custom-secret-id", {{"secret_id", "pushed-secret"}});
  for (const auto& [key, value] : Snapshot(h_.storage())) {
    EXPECT_EQ(key.find(secret_id), std::string::npos) << key;
    EXPECT_EQ(value.find(secret_id), std::string::npos) << key;
    EXPECT_EQ(key.find("pushed-secret"), std::string::npos) << key;
    EXPECT_EQ(value.find("pushed-secret"), std::string::npos) << key;
  }
  EXPECT_EQ(h_.storage().Get("salt")->size(), 32u);
}

TEST_F(AppRoleTest, CustomSecretIdLogsInAndCannotBeRegisteredTwice) {
  CreateRole("app", {{"token_policies", "dev"}});
  json issued = h_.MustCall(Operation::kUpdate, "role/app/custom-secret-id",
                            {{"secret_id", "my-own-secret"}, {"num_uses", 3}});
  EXPECT_EQ(issued["secret_id"], "my-own-secret");
  EXPECT_EQ(issued["secret_id_num_uses"], 3);
  EXPECT_EQ(CodeOf(h_.Call(Operation::kUpdate, "role/app/custom-secret-id",
                           {{"secret_id", "my-own-secret"}})),
            Code::kInvalidArgument);
  EXPECT_EQ(CodeOf(h_.Call(Operation::kUpdate, "role/app/custom-secret-id", json::object())),
            Code::kInvalidArgument);
  EXPECT_TRUE(Login(RoleId("app"), "my-own-secret").ok());
  json after = h_.MustCall(Operation::kUpdate, "role/app/secret-id/lookup",
                           {{"secret_id", "my-own-secret"}});
  EXPECT_EQ(after["secret_id_num_uses"], 2);
}

TEST_F(AppRoleTest, LoginGrantsTheRolesTokenWithMetadata) {
  CreateRole("web", {{"token_policies", "allowed,other"},
                     {"token_ttl", "20m"},
                     {"token_no_default_policy", true}});
  json issued = NewSecretId("web", {{"metadata", R"({"team":"blue"})"}});
  Result<core::Response> r = Login(RoleId("web"), issued["secret_id"]);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_TRUE(r->login.has_value());
  const core::LoginGrant& grant = *r->login;
  EXPECT_EQ(grant.display_name, "web");
  EXPECT_EQ(grant.metadata, (std::map<std::string, std::string>{{"role_name", "web"},
                                                                {"team", "blue"}}));
  EXPECT_EQ(grant.token.policies, (std::vector<std::string>{"allowed", "other"}));
  EXPECT_EQ(grant.token.ttl, 1200);
  EXPECT_TRUE(grant.token.no_default_policy);
  EXPECT_TRUE(grant.renewable);
  // A secret-id without a use limit logs in again.
  EXPECT_TRUE(Login(RoleId("web"), issued["secret_id"]).ok());

  EXPECT_TRUE(h_.engine().IsLoginPath("login"));
  EXPECT_FALSE(h_.engine().IsLoginPath("role/web"));
}

TEST_F(AppRoleTest, WrongSecretIdAndWrongRoleIdGiveTheSameError) {
  CreateRole("app");
  CreateRole("other");
  const std::string role_id = RoleId("app");
  const std::string secret_id = NewSecretId("app")["secret_id"];
  const std::string others_secret = NewSecretId("other")["secret_id"];
  ExpectLoginFails(role_id, "not-the-secret");
  ExpectLoginFails("not-a-role-id", secret_id);
  ExpectLoginFails(role_id, others_secret);  // a secret-id of another role
  ExpectLoginFails(role_id, "");             // none at all
  Result<core::Response> no_role = h_.Call(Operation::kUpdate, "login", {{"secret_id", secret_id}});
  EXPECT_EQ(CodeOf(no_role), Code::kInvalidArgument);
  EXPECT_EQ(no_role.status().message(), "missing role_id");
  EXPECT_TRUE(Login(role_id, secret_id).ok());
}

TEST_F(AppRoleTest, ExpiredSecretIdIsRefusedAndTidiedAway) {
  CreateRole("app");
  json issued = NewSecretId("app", {{"ttl", "60s"}});
  const std::string role_id = RoleId("app");
  h_.clock().Advance(std::chrono::seconds(59));
  EXPECT_TRUE(Login(role_id, issued["secret_id"]).ok());
  h_.clock().Advance(std::chrono::seconds(2));
  ExpectLoginFails(role_id, issued["secret_id"]);

  const std::string keeper = NewSecretId("app")["secret_id_accessor"];
  json tidy = h_.MustCall(Operation::kUpdate, "tidy/secret-id");
  EXPECT_EQ(tidy["secret_ids_removed"], 1);
  EXPECT_EQ(h_.MustCall(Operation::kList, "role/app/secret-id"), json({{"keys", {keeper}}}));
}

TEST_F(AppRoleTest, SecretIdUsesAreCountedAndCappedByTheRole) {
  CreateRole("app", {{"secret_id_num_uses", 2}});
  json issued = NewSecretId("app");
  EXPECT_EQ(issued["secret_id_num_uses"], 2);
  const std::string role_id = RoleId("app");
  EXPECT_TRUE(Login(role_id, issued["secret_id"]).ok());
  EXPECT_EQ(h_.MustCall(Operation::kUpdate, "role/app/secret-id/lookup",
                        {{"secret_id", issued["secret_id"]}})["secret_id_num_uses"],
            1);
  EXPECT_TRUE(Login(role_id, issued["secret_id"]).ok());
  ExpectLoginFails(role_id, issued["secret_id"]);
  // The last use deleted the secret-id and its accessor.
  EXPECT_EQ(CodeOf(h_.Call(Operation::kList, "role/app/secret-id")), Code::kNotFound);

  EXPECT_EQ(CodeOf(h_.Call(Operation::kUpdate, "role/app/secret-id", {{"num_uses", 3}})),
            Code::kInvalidArgument);
  EXPECT_EQ(CodeOf(h_.Call(Operation::kUpdate, "role/app/secret-id", {{"num_uses", 0}})),
            Code::kInvalidArgument);
}

TEST_F(AppRoleTest, SingleUseSecretIdLogsInOnce) {
  CreateRole("app");
  json issued = NewSecretId("app", {{"num_uses", 1}});
  const std::string role_id = RoleId("app");
  EXPECT_TRUE(Login(role_id, issued["secret_id"]).ok());
  ExpectLoginFails(role_id, issued["secret_id"]);
}

TEST_F(AppRoleTest, ConcurrentLoginsWithASingleUseSecretIdSucceedOnce) {
  CreateRole("app");
  const std::string role_id = RoleId("app");
  for (int round = 0; round < 5; ++round) {
    const std::string secret_id = NewSecretId("app", {{"num_uses", 1}})["secret_id"];
    std::atomic<int> successes{0};
    std::atomic<int> refusals{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < 8; ++i) {
      threads.emplace_back([&] {
        Result<core::Response> r = Login(role_id, secret_id);
        if (r.ok()) {
          ++successes;
        } else if (r.status().message() == "invalid role or secret ID") {
          ++refusals;
        }
      });
    }
    for (std::thread& t : threads) {
      t.join();
    }
    EXPECT_EQ(successes.load(), 1) << "round " << round;
    EXPECT_EQ(refusals.load(), 7) << "round " << round;
  }
}

TEST_F(AppRoleTest, CidrListRefusesOtherAddressesWithoutSpendingAUse) {
  CreateRole("app");
  json issued = NewSecretId("app", {{"cidr_list", "10.0.0.0/8,192.168.1.7"}, {"num_uses", 1}});
  const std::string role_id = RoleId("app");
  h_.set_remote_address("127.0.0.1");
  Result<core::Response> refused = Login(role_id, issued["secret_id"]);
  EXPECT_EQ(CodeOf(refused), Code::kInvalidArgument);
  EXPECT_NE(refused.status().message().find("unauthorized by CIDR restrictions on the secret ID"),
            std::string::npos);
  h_.set_remote_address("10.20.30.40");
  EXPECT_TRUE(Login(role_id, issued["secret_id"]).ok());

  json other = NewSecretId("app", {{"cidr_list", "10.0.0.0/8,192.168.1.7"}});
  h_.set_remote_address("192.168.1.7");
  EXPECT_TRUE(Login(role_id, other["secret_id"]).ok());
  h_.set_remote_address("192.168.1.8");
  EXPECT_EQ(CodeOf(Login(role_id, other["secret_id"])), Code::kInvalidArgument);
}

TEST_F(AppRoleTest, RoleBoundCidrsLimitLoginsAndSecretIdCidrs) {
  CreateRole("app", {{"secret_id_bound_cidrs", "10.0.0.0/8"}});
  const std::string role_id = RoleId("app");
  json issued = NewSecretId("app");
  h_.set_remote_address("127.0.0.1");
  Result<core::Response> refused = Login(role_id, issued["secret_id"]);
  EXPECT_EQ(CodeOf(refused), Code::kInvalidArgument);
  EXPECT_NE(refused.status().message().find("CIDR restrictions on the role"), std::string::npos);
  h_.set_remote_address("10.0.0.1");
  EXPECT_TRUE(Login(role_id, issued["secret_id"]).ok());

  // A secret-id's blocks must lie within the role's.
  EXPECT_TRUE(
      h_.Call(Operation::kUpdate, "role/app/secret-id", {{"cidr_list", "10.1.0.0/16"}}).ok());
  Result<core::Response> wider =
      h_.Call(Operation::kUpdate, "role/app/secret-id", {{"cidr_list", "0.0.0.0/0"}});
  EXPECT_EQ(CodeOf(wider), Code::kInvalidArgument);
}

TEST_F(AppRoleTest, SecretIdTokenBoundCidrsOverrideTheRoles) {
  CreateRole("app", {{"token_bound_cidrs", "127.0.0.0/8"}});
  json issued = NewSecretId("app", {{"token_bound_cidrs", "127.0.0.1/32"}});
  Result<core::Response> r = Login(RoleId("app"), issued["secret_id"]);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->login->token.bound_cidrs, (std::vector<std::string>{"127.0.0.1/32"}));
  json plain = NewSecretId("app");
  r = Login(RoleId("app"), plain["secret_id"]);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->login->token.bound_cidrs, (std::vector<std::string>{"127.0.0.0/8"}));
  EXPECT_EQ(CodeOf(h_.Call(Operation::kUpdate, "role/app/secret-id",
                           {{"token_bound_cidrs", "10.0.0.0/8"}})),
            Code::kInvalidArgument);
}

TEST_F(AppRoleTest, WithoutBindSecretIdTheRoleIdAloneLogsIn) {
  Result<core::Response> unconstrained =
      h_.Call(Operation::kCreate, "role/open", {{"bind_secret_id", false}});
  EXPECT_EQ(CodeOf(unconstrained), Code::kInvalidArgument);
  EXPECT_EQ(unconstrained.status().message(),
            "at least one constraint should be enabled on the role");

  CreateRole("open", {{"bind_secret_id", false}, {"secret_id_bound_cidrs", "127.0.0.0/8"}});
  Result<core::Response> r = Login(RoleId("open"), "");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->login->metadata.at("role_name"), "open");
  EXPECT_EQ(CodeOf(h_.Call(Operation::kUpdate, "role/open/secret-id")), Code::kInvalidArgument);
  h_.set_remote_address("10.0.0.1");
  EXPECT_EQ(CodeOf(Login(RoleId("open"), "")), Code::kInvalidArgument);
}

TEST_F(AppRoleTest, DeletingARoleRevokesItsSecretIds) {
  CreateRole("app");
  const std::string secret_id = NewSecretId("app")["secret_id"];
  const std::string role_id = RoleId("app");
  h_.MustCall(Operation::kDelete, "role/app");
  ExpectLoginFails(role_id, secret_id);
  for (const auto& [key, value] : Snapshot(h_.storage())) {
    EXPECT_EQ(key, "salt");
  }
  CreateRole("app", {{"role_id", role_id}});
  ExpectLoginFails(role_id, secret_id);
}

TEST_F(AppRoleTest, BadInputIs400AndChangesNothing) {
  CreateRole("app", {{"secret_id_num_uses", 2}, {"secret_id_ttl", "1h"}});
  NewSecretId("app");
  const std::map<std::string, std::string> before = Snapshot(h_.storage());

  const std::vector<std::pair<std::string, json>> bad_writes = {
      {"role/app", {{"secret_id_num_uses", -1}}},
      {"role/app", {{"token_type", "bogus"}}},
      {"role/app", {{"secret_id_bound_cidrs", "not-a-cidr"}}},
      {"role/app", {{"token_bound_cidrs", "10.0.0.0/33"}}},
      {"role/app", {{"secret_id_ttl", "-5s"}}},
      {"role/app", {{"local_secret_ids", true}}},
      {"role/app", {{"role_id", ""}}},
      {"role/app", {{"bind_secret_id", "maybe"}}},
      {"role/fresh", {{"secret_id_num_uses", "many"}}},
      {"role/app/secret-id", {{"num_uses", 5}}},
      {"role/app/secret-id", {{"num_uses", -1}}},
      {"role/app/secret-id", {{"ttl", "2h"}}},
      {"role/app/secret-id", {{"metadata", "{not json"}}},
      {"role/app/secret-id", {{"metadata", R"({"n": 1})"}}},
      {"role/app/secret-id", {{"cidr_list", "300.0.0.1"}}},
      {"role/app/custom-secret-id", json::object()},
      {"role/app/secret-id/lookup", json::object()},
      {"role/app/secret-id-accessor/destroy", json::object()},
      {"login", json::object()},
  };
  for (const auto& [path, body] : bad_writes) {
    Result<core::Response> r = h_.Call(Operation::kUpdate, path, body);
    EXPECT_EQ(CodeOf(r), Code::kInvalidArgument) << path << " " << body.dump();
    EXPECT_EQ(Snapshot(h_.storage()), before) << path << " " << body.dump();
  }
  Result<core::Response> created_bad =
      h_.Call(Operation::kCreate, "role/fresh", {{"token_ttl", "2h"}, {"token_max_ttl", "1h"}});
  EXPECT_EQ(CodeOf(created_bad), Code::kInvalidArgument);
  EXPECT_EQ(Snapshot(h_.storage()), before);
}

TEST_F(AppRoleTest, MetadataTakesVaultsFormats) {
  CreateRole("app");
  for (const std::string& metadata :
       {std::string(R"({"a":"1","b":"2"})"), std::string("a=1,b=2"),
        std::string("eyJhIjoiMSIsImIiOiIyIn0=")}) {
    json issued = NewSecretId("app", {{"metadata", metadata}});
    json looked = h_.MustCall(Operation::kUpdate, "role/app/secret-id/lookup",
                              {{"secret_id", issued["secret_id"]}});
    EXPECT_EQ(looked["metadata"], json({{"a", "1"}, {"b", "2"}})) << metadata;
  }
}

// Logins reuse the decoded role only while its stored bytes are unchanged
// (core/framework/decoded_cache.h): every change, however made, is seen at once.
TEST_F(AppRoleTest, LoginSeesRoleUpdatesMadeAfterAnEarlierLogin) {
  CreateRole("web", {{"token_policies", "one"}});
  const std::string role_id = RoleId("web");
  const std::string secret_id = NewSecretId("web")["secret_id"];
  ASSERT_TRUE(Login(role_id, secret_id).ok());
  h_.MustCall(Operation::kUpdate, "role/web", {{"token_policies", "two"}});
  Result<core::Response> r = Login(role_id, secret_id);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->login->token.policies, std::vector<std::string>{"two"});
}

TEST_F(AppRoleTest, LoginSeesARoleRewrittenOrDeletedBehindTheEnginesBack) {
  CreateRole("web", {{"token_policies", "one"}});
  const std::string role_id = RoleId("web");
  const std::string secret_id = NewSecretId("web")["secret_id"];
  ASSERT_TRUE(Login(role_id, secret_id).ok());

  Result<std::string> stored = h_.storage().Get("role/web");
  ASSERT_TRUE(stored.ok());
  json role = json::parse(*stored);
  role["token"]["policies"] = {"changed"};
  ASSERT_TRUE(h_.storage().Put("role/web", role.dump()).ok());
  Result<core::Response> r = Login(role_id, secret_id);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->login->token.policies, std::vector<std::string>{"changed"});

  ASSERT_TRUE(h_.storage().Delete("role/web").ok());
  ExpectLoginFails(role_id, secret_id);
}

TEST_F(AppRoleTest, ChangingTheRoleIdAfterALoginRefusesTheOldOne) {
  CreateRole("web");
  const std::string old_role_id = RoleId("web");
  const std::string secret_id = NewSecretId("web")["secret_id"];
  ASSERT_TRUE(Login(old_role_id, secret_id).ok());
  h_.MustCall(Operation::kUpdate, "role/web/role-id", {{"role_id", "new-role-id"}});
  ExpectLoginFails(old_role_id, secret_id);
  EXPECT_TRUE(Login("new-role-id", secret_id).ok());
}

TEST_F(AppRoleTest, ADestroyedSecretIdIsRefusedAfterEarlierLogins) {
  CreateRole("web");
  const std::string role_id = RoleId("web");
  const std::string secret_id = NewSecretId("web")["secret_id"];
  ASSERT_TRUE(Login(role_id, secret_id).ok());
  ASSERT_TRUE(Login(role_id, secret_id).ok());
  h_.MustCall(Operation::kUpdate, "role/web/secret-id/destroy", {{"secret_id", secret_id}});
  ExpectLoginFails(role_id, secret_id);
}

// The prepared key MACs as the one-shot HMAC under the stored salt did, so
// indexes written before still resolve.
TEST(AppRoleStateTest, HmacIsHmacSha256OfTheValueUnderTheStoredSalt) {
  Result<std::unique_ptr<storage::Backend>> backend = storage::OpenBackend("inmem", {});
  ASSERT_TRUE(backend.ok());
  auth::approle::AppRoleState state;
  Result<std::string> first = state.Hmac(**backend, "a-role-id");
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  Result<std::string> salt = (*backend)->Get("salt");
  ASSERT_TRUE(salt.ok());
  EXPECT_EQ(*first, HexEncode(crypto::HmacSha256(*salt, "a-role-id")));
  EXPECT_EQ(*state.Hmac(**backend, "a-role-id"), *first);
  EXPECT_EQ(*state.Hmac(**backend, "another"), HexEncode(crypto::HmacSha256(*salt, "another")));
}

TEST(AppRoleStateTest, AStoredSaltOfTheWrongSizeIsCorruption) {
  Result<std::unique_ptr<storage::Backend>> backend = storage::OpenBackend("inmem", {});
  ASSERT_TRUE(backend.ok());
  ASSERT_TRUE((*backend)->Put("salt", "short").ok());
  auth::approle::AppRoleState state;
  EXPECT_EQ(CodeOf(state.Hmac(**backend, "x")), Code::kCorruption);
}

// Secret-ids are decoded from their bytes without a JSON document; that
// decoder must take and refuse what the document decoder does.
TEST(SecretIdEntryTest, DecodeAgreesWithTheDocumentDecoder) {
  auth::approle::SecretIdEntry full;
  full.accessor = "5c0e1f9e-1111-2222-3333-444455556666";
  full.num_uses = 3;
  full.ttl = 600;
  full.creation_nanos = 1521685446945319214;
  full.expiration_nanos = 1521686046945319214;
  full.last_updated_nanos = 1521685446945319215;
  full.metadata = {{"team", "blue"}, {"quote", "a\"b\\c"}, {"", "empty"}};
  full.cidr_list = {"10.0.0.0/8", "127.0.0.1/32"};
  full.token_bound_cidrs = {"192.168.0.0/16"};
  const std::vector<std::string> inputs = {
      full.ToStored().dump(),
      auth::approle::SecretIdEntry{.accessor = "a"}.ToStored().dump(),
      R"({"secret_id_accessor":"a"})",
      R"({"secret_id_accessor":"a","secret_id_num_uses":null,"metadata":null,"cidr_list":null})",
      R"({"secret_id_accessor":"a","unknown":{"x":[1,{"y":null}],"z":"s"},"o":[true,1.5],"m":false})",
      R"({"secret_id_accessor":"a","metadata":{"x":"1"},"metadata":{"y":"2"},"cidr_list":["a"],)"
      R"("cidr_list":["b"],"secret_id_ttl":5,"secret_id_ttl":null})",
      R"( { "secret_id_accessor" : "a" , "secret_id_num_uses" : 18446744073709551615 } )",
      R"({"secret_id_accessor":"a","secret_id_num_uses":-1})",
      R"({"secret_id_accessor":"a","secret_id_num_uses":1.5})",
      R"({"secret_id_accessor":"a","secret_id_num_uses":true})",
      R"({"secret_id_accessor":"a","secret_id_ttl":"10"})",
      R"({"secret_id_accessor":5})",
      R"({"secret_id_accessor":"a","metadata":{"k":1}})",
      R"({"secret_id_accessor":"a","metadata":{"k":null}})",
      R"({"secret_id_accessor":"a","metadata":{"k":{"n":"v"}}})",
      R"({"secret_id_accessor":"a","metadata":["k"]})",
      R"({"secret_id_accessor":"a","cidr_list":"10.0.0.0/8"})",
      R"({"secret_id_accessor":"a","cidr_list":[null]})",
      R"({"secret_id_accessor":"a","cidr_list":[["x"]]})",
      R"({"secret_id_accessor":"a","token_bound_cidrs":[1]})",
      R"({"secret_id_accessor":"a"} trailing)",
      R"({"secret_id_accessor":"a")",
      R"({})",
      R"({"secret_id_accessor":""})",
      "",
      "not json",
      "[]",
      "5",
      "\"s\"",
      "null",
  };
  for (const std::string& input : inputs) {
    Result<auth::approle::SecretIdEntry> by_document = [&]() -> Result<auth::approle::SecretIdEntry> {
      COFFER_ASSIGN_OR_RETURN(json stored, core::framework::DecodeStoredJson(input, "secret-id"));
      return auth::approle::SecretIdEntry::FromStored(stored);
    }();
    Result<auth::approle::SecretIdEntry> direct = auth::approle::SecretIdEntry::Decode(input);
    ASSERT_EQ(direct.ok(), by_document.ok()) << input;
    if (direct.ok()) {
      EXPECT_EQ(direct->ToStored(), by_document->ToStored()) << input;
    } else {
      EXPECT_EQ(CodeOf(direct), Code::kCorruption) << input;
    }
  }
  Result<auth::approle::SecretIdEntry> decoded =
      auth::approle::SecretIdEntry::Decode(full.ToStored().dump());
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(decoded->metadata, full.metadata);
  EXPECT_EQ(decoded->cidr_list, full.cidr_list);
  EXPECT_EQ(decoded->expiration_nanos, full.expiration_nanos);
}

TEST(AppRoleStateTest, ReadAccessorReadsTheWrittenFormAndAnyOtherJson) {
  Result<std::unique_ptr<storage::Backend>> backend = storage::OpenBackend("inmem", {});
  ASSERT_TRUE(backend.ok());
  storage::Backend& storage = **backend;
  const std::string key = auth::approle::AppRoleState::AccessorKey("web", "acc");
  auto read = [&](const std::string& bytes) {
    EXPECT_TRUE(storage.Put(key, bytes).ok());
    return auth::approle::AppRoleState::ReadAccessor(storage, "web", "acc");
  };
  EXPECT_EQ(read(json({{"secret_id_hmac", "0123abcdef"}}).dump()).value(), "0123abcdef");
  EXPECT_EQ(read(R"( { "secret_id_hmac" : "0a" } )").value(), "0a");
  EXPECT_EQ(read(R"({"secret_id_hmac":"NOT-HEX"})").value(), "NOT-HEX");
  EXPECT_EQ(read(R"({"secret_id_hmac":"a\u0062"})").value(), "ab");
  EXPECT_EQ(CodeOf(read(R"({"secret_id_hmac":"a\"})")), Code::kCorruption);
  EXPECT_EQ(CodeOf(read(R"({"secret_id_hmac":5})")), Code::kCorruption);
  EXPECT_EQ(CodeOf(read(R"({"other":"0a"})")), Code::kCorruption);
  ASSERT_TRUE(storage.Delete(key).ok());
  Result<std::optional<std::string>> absent =
      auth::approle::AppRoleState::ReadAccessor(storage, "web", "acc");
  ASSERT_TRUE(absent.ok());
  EXPECT_FALSE(absent->has_value());
}

}  // namespace
}  // namespace coffer::engines::testing
