// userpass: users with a password and token settings, and a login that
// answers a LoginGrant. Every login costs one real scrypt derivation
// (~0.1 s), so the tests log in sparingly.
#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "auth/userpass/password_hash.h"
#include "base/encoding.h"
#include "engines/engine_harness.h"

namespace coffer::engines::testing {
namespace {

using auth::userpass::DummyPasswordHash;
using auth::userpass::HashPassword;
using auth::userpass::ScryptParams;
using auth::userpass::VerifyPassword;
using core::Operation;
using nlohmann::json;

std::vector<std::string> SplitDollar(const std::string& s) {
  std::vector<std::string> parts;
  size_t start = 0;
  for (size_t pos; (pos = s.find('$', start)) != std::string::npos; start = pos + 1) {
    parts.push_back(s.substr(start, pos - start));
  }
  parts.push_back(s.substr(start));
  return parts;
}

Result<core::Response> Login(EngineHarness& h, const std::string& user, const std::string& pw) {
  return h.Call(Operation::kUpdate, "login/" + user, {{"password", pw}});
}

std::string StoredValue(EngineHarness& h, const std::string& key) {
  Result<std::string> v = h.storage().Get(key);
  return v.ok() ? *v : "";
}

// --- password hashing -----------------------------------------------------

TEST(UserpassPasswordHashTest, EncodesSchemeParametersSaltAndHash) {
  Result<std::string> hash = HashPassword("correct horse");
  ASSERT_TRUE(hash.ok()) << hash.status().ToString();
  std::vector<std::string> parts = SplitDollar(*hash);
  ASSERT_EQ(parts.size(), 6u) << *hash;
  EXPECT_EQ(parts[0], "scrypt");
  EXPECT_EQ(parts[1], "32768");
  EXPECT_EQ(parts[2], "8");
  EXPECT_EQ(parts[3], "1");
  ASSERT_TRUE(Base64Decode(parts[4]).has_value());
  EXPECT_EQ(Base64Decode(parts[4])->size(), 16u);
  ASSERT_TRUE(Base64Decode(parts[5]).has_value());
  EXPECT_EQ(Base64Decode(parts[5])->size(), 32u);
  EXPECT_EQ(hash->find("correct horse"), std::string::npos);
}

TEST(UserpassPasswordHashTest, VerifyAcceptsOnlyTheRightPassword) {
  ScryptParams cheap{1024, 8, 1};
  Result<std::string> hash = HashPassword("s3cret", cheap);
  ASSERT_TRUE(hash.ok()) << hash.status().ToString();
  EXPECT_EQ(hash->rfind("scrypt$1024$8$1$", 0), 0u) << *hash;
  EXPECT_EQ(VerifyPassword("s3cret", *hash).value(), true);
  EXPECT_EQ(VerifyPassword("s3cret ", *hash).value(), false);
  EXPECT_EQ(VerifyPassword("S3cret", *hash).value(), false);
  EXPECT_EQ(VerifyPassword("", *hash).value(), false);
}

TEST(UserpassPasswordHashTest, SaltIsFreshForEachHash) {
  ScryptParams cheap{1024, 8, 1};
  Result<std::string> a = HashPassword("same", cheap);
  Result<std::string> b = HashPassword("same", cheap);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(*a, *b);
  EXPECT_TRUE(VerifyPassword("same", *b).value());
}

TEST(UserpassPasswordHashTest, DefaultParametersRoundTrip) {
  Result<std::string> hash = HashPassword("pw");
  ASSERT_TRUE(hash.ok());
  EXPECT_TRUE(VerifyPassword("pw", *hash).value());
  EXPECT_FALSE(VerifyPassword("pW", *hash).value());
}

TEST(UserpassPasswordHashTest, MalformedOrOutOfRangeHashIsCorruption) {
  const std::string salt = Base64Encode(std::string(16, 'a'));
  const std::string hash = Base64Encode(std::string(32, 'b'));
  for (const std::string& bad :
       {std::string(""), std::string("plaintext"), "bcrypt$1024$8$1$" + salt + "$" + hash,
        "scrypt$1024$8$1$" + salt, "scrypt$1000$8$1$" + salt + "$" + hash,  // N not 2^k
        "scrypt$1$8$1$" + salt + "$" + hash, "scrypt$1024$0$1$" + salt + "$" + hash,
        "scrypt$1024$8$0$" + salt + "$" + hash,
        "scrypt$2097152$8$1$" + salt + "$" + hash,  // N too large
        "scrypt$1024$8$1$!!$" + hash, "scrypt$1024$8$1$" + salt + "$" + Base64Encode("short"),
        "scrypt$1024$8$1$" + salt + "$" + hash + "$extra",
        "scrypt$+1024$8$1$" + salt + "$" + hash}) {
    Result<bool> r = VerifyPassword("pw", bad);
    EXPECT_EQ(CodeOf(r), Code::kCorruption) << bad;
  }
}

TEST(UserpassPasswordHashTest, EmptyPasswordAndBadParametersAreRefused) {
  EXPECT_EQ(CodeOf(HashPassword("")), Code::kInvalidArgument);
  EXPECT_EQ(CodeOf(HashPassword("pw", ScryptParams{1000, 8, 1})), Code::kInvalidArgument);
  EXPECT_EQ(CodeOf(HashPassword("pw", ScryptParams{1024, 0, 1})), Code::kInvalidArgument);
}

TEST(UserpassPasswordHashTest, DummyHashUsesDefaultParametersAndMatchesNothing) {
  const std::string dummy = DummyPasswordHash();
  EXPECT_EQ(dummy.rfind("scrypt$32768$8$1$", 0), 0u) << dummy;
  Result<bool> r = VerifyPassword("dummy", dummy);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_FALSE(*r);
}

// --- users ------------------------------------------------------------------

TEST(UserpassUsersTest, RegisteredAsUserpass) {
  EngineHarness h("userpass");
  EXPECT_EQ(h.engine().Type(), "userpass");
}

TEST(UserpassUsersTest, CreateReadListDelete) {
  EngineHarness h("userpass");
  h.MustCall(Operation::kCreate, "users/alice",
             {{"password", "pw-alice"}, {"token_policies", "dev,ops"}, {"token_ttl", "1h"}});
  h.MustCall(Operation::kCreate, "users/bob", {{"password", "pw-bob"}});

  json alice = h.MustCall(Operation::kRead, "users/alice");
  EXPECT_EQ(alice["token_policies"], json({"dev", "ops"}));
  EXPECT_EQ(alice["token_ttl"], 3600);
  EXPECT_EQ(alice["token_max_ttl"], 0);
  EXPECT_EQ(alice["token_type"], "default");
  EXPECT_EQ(alice["token_bound_cidrs"], json::array());
  EXPECT_FALSE(alice.contains("password"));
  EXPECT_FALSE(alice.contains("password_hash"));

  EXPECT_EQ(h.MustCall(Operation::kList, "users"), json({{"keys", {"alice", "bob"}}}));
  EXPECT_EQ(h.MustCall(Operation::kList, "users/"), json({{"keys", {"alice", "bob"}}}));

  h.MustCall(Operation::kDelete, "users/alice");
  EXPECT_EQ(CodeOf(h.Call(Operation::kRead, "users/alice")), Code::kNotFound);
  EXPECT_EQ(h.MustCall(Operation::kList, "users"), json({{"keys", {"bob"}}}));
  h.MustCall(Operation::kDelete, "users/bob");
  EXPECT_EQ(CodeOf(h.Call(Operation::kList, "users")), Code::kNotFound);
  // Deleting nobody is fine, as in Vault.
  h.MustCall(Operation::kDelete, "users/nobody");
}

TEST(UserpassUsersTest, PasswordIsNeverReturnedNorStored) {
  EngineHarness h("userpass");
  h.MustCall(Operation::kCreate, "users/alice", {{"password", "hunter2-unique"}});
  json read = h.MustCall(Operation::kRead, "users/alice");
  EXPECT_EQ(read.dump().find("hunter2"), std::string::npos);
  EXPECT_EQ(read.dump().find("scrypt"), std::string::npos);

  const std::string stored = StoredValue(h, "user/alice");
  ASSERT_FALSE(stored.empty());
  EXPECT_EQ(stored.find("hunter2"), std::string::npos);
  json entry = json::parse(stored);
  EXPECT_EQ(entry["password_hash"].get<std::string>().rfind("scrypt$32768$8$1$", 0), 0u);
  EXPECT_TRUE(entry["token"].is_object());
}

TEST(UserpassUsersTest, UsernamesAreLowerCased) {
  EngineHarness h("userpass");
  h.MustCall(Operation::kCreate, "users/Alice", {{"password", "pw"}, {"token_policies", "p"}});
  EXPECT_EQ(h.MustCall(Operation::kList, "users"), json({{"keys", {"alice"}}}));
  EXPECT_EQ(h.MustCall(Operation::kRead, "users/ALICE")["token_policies"], json({"p"}));
  EXPECT_TRUE(h.Exists("users/aLiCe").value());
}

TEST(UserpassUsersTest, ExistenceCheckTellsCreateFromUpdate) {
  EngineHarness h("userpass");
  EXPECT_FALSE(h.Exists("users/alice").value());
  h.MustCall(Operation::kCreate, "users/alice", {{"password", "pw"}});
  EXPECT_TRUE(h.Exists("users/alice").value());
}

TEST(UserpassUsersTest, CreateWithoutPasswordIsRefusedAndStoresNothing) {
  EngineHarness h("userpass");
  Result<core::Response> r =
      h.Call(Operation::kCreate, "users/alice", {{"token_policies", "dev"}});
  EXPECT_EQ(CodeOf(r), Code::kInvalidArgument);
  EXPECT_EQ(r.status().message(), "missing password");
  r = h.Call(Operation::kCreate, "users/alice", {{"password", ""}});
  EXPECT_EQ(CodeOf(r), Code::kInvalidArgument);
  EXPECT_EQ(CodeOf(h.Call(Operation::kList, "users")), Code::kNotFound);
}

TEST(UserpassUsersTest, BadTokenFieldsAreRefusedAndChangeNothing) {
  EngineHarness h("userpass");
  // Refused creates store nothing.
  EXPECT_EQ(CodeOf(h.Call(Operation::kCreate, "users/alice",
                          {{"password", "pw"}, {"token_type", "bogus"}})),
            Code::kInvalidArgument);
  EXPECT_EQ(CodeOf(h.Call(Operation::kCreate, "users/alice",
                          {{"password", "pw"}, {"token_ttl", -5}})),
            Code::kInvalidArgument);
  EXPECT_EQ(CodeOf(h.Call(Operation::kList, "users")), Code::kNotFound);

  h.MustCall(Operation::kCreate, "users/alice",
             {{"password", "pw"}, {"token_policies", "dev"}, {"token_ttl", 60}});
  const std::string before = StoredValue(h, "user/alice");
  for (const json& bad : {json{{"password", "new"}, {"token_type", "bogus"}},
                          json{{"password", "new"}, {"token_ttl", "-1h"}},
                          json{{"password", "new"}, {"ttl", -1}},
                          json{{"token_num_uses", -1}},
                          json{{"token_bound_cidrs", "not-a-cidr"}},
                          json{{"token_ttl", 100}, {"token_max_ttl", 10}},
                          json{{"password_hash", "$2a$10$abc"}}}) {
    EXPECT_EQ(CodeOf(h.Call(Operation::kUpdate, "users/alice", bad)), Code::kInvalidArgument)
        << bad.dump();
    EXPECT_EQ(StoredValue(h, "user/alice"), before) << bad.dump();
  }
}

TEST(UserpassUsersTest, UpdateWithoutPasswordKeepsPasswordAndOtherFields) {
  EngineHarness h("userpass");
  h.MustCall(Operation::kCreate, "users/alice",
             {{"password", "pw"}, {"token_policies", "dev"}, {"token_ttl", 60}});
  const std::string hash_before = json::parse(StoredValue(h, "user/alice"))["password_hash"];
  h.MustCall(Operation::kUpdate, "users/alice", {{"token_max_ttl", "2h"}});
  json read = h.MustCall(Operation::kRead, "users/alice");
  EXPECT_EQ(read["token_policies"], json({"dev"}));
  EXPECT_EQ(read["token_ttl"], 60);
  EXPECT_EQ(read["token_max_ttl"], 7200);
  EXPECT_EQ(json::parse(StoredValue(h, "user/alice"))["password_hash"], hash_before);
}

TEST(UserpassUsersTest, LegacyFieldNamesAreAccepted) {
  EngineHarness h("userpass");
  h.MustCall(Operation::kCreate, "users/alice",
             {{"password", "pw"},
              {"policies", "a,b"},
              {"ttl", "30m"},
              {"bound_cidrs", "10.0.0.0/8"}});
  json read = h.MustCall(Operation::kRead, "users/alice");
  EXPECT_EQ(read["token_policies"], json({"a", "b"}));
  EXPECT_EQ(read["token_ttl"], 1800);
  EXPECT_EQ(read["token_bound_cidrs"], json({"10.0.0.0/8"}));
}

TEST(UserpassUsersTest, ReadOfUnknownUserIsNotFound) {
  EngineHarness h("userpass");
  Result<core::Response> r = h.Call(Operation::kRead, "users/nobody");
  EXPECT_EQ(CodeOf(r), Code::kNotFound);
  EXPECT_EQ(r.status().message(), "");
}

TEST(UserpassUsersTest, PoliciesUpdateReplacesOnlyPolicies) {
  EngineHarness h("userpass");
  h.MustCall(Operation::kCreate, "users/alice",
             {{"password", "pw"}, {"token_policies", "dev"}, {"token_ttl", 60}});
  h.MustCall(Operation::kUpdate, "users/alice/policies", {{"token_policies", "ops,audit,ops"}});
  json read = h.MustCall(Operation::kRead, "users/alice");
  EXPECT_EQ(read["token_policies"], json({"ops", "audit"}));
  EXPECT_EQ(read["token_ttl"], 60);

  h.MustCall(Operation::kUpdate, "users/alice/policies", {{"policies", json({"legacy"})}});
  EXPECT_EQ(h.MustCall(Operation::kRead, "users/alice")["token_policies"], json({"legacy"}));

  Result<core::Response> r =
      h.Call(Operation::kUpdate, "users/nobody/policies", {{"token_policies", "x"}});
  EXPECT_EQ(CodeOf(r), Code::kInvalidArgument);
  EXPECT_EQ(r.status().message(), "username does not exist");
  EXPECT_EQ(CodeOf(h.Call(Operation::kRead, "users/nobody")), Code::kNotFound);
}

TEST(UserpassUsersTest, PasswordPathRefusesUnknownUserAndMissingPassword) {
  EngineHarness h("userpass");
  Result<core::Response> r =
      h.Call(Operation::kUpdate, "users/nobody/password", {{"password", "x"}});
  EXPECT_EQ(CodeOf(r), Code::kInvalidArgument);
  EXPECT_EQ(r.status().message(), "username does not exist");
  EXPECT_EQ(CodeOf(h.Call(Operation::kRead, "users/nobody")), Code::kNotFound);

  h.MustCall(Operation::kCreate, "users/alice", {{"password", "pw"}});
  const std::string before = StoredValue(h, "user/alice");
  r = h.Call(Operation::kUpdate, "users/alice/password", json::object());
  EXPECT_EQ(CodeOf(r), Code::kInvalidArgument);
  EXPECT_EQ(r.status().message(), "missing password");
  EXPECT_EQ(StoredValue(h, "user/alice"), before);
}

TEST(UserpassUsersTest, UnsupportedPathsAndOperations) {
  EngineHarness h("userpass");
  EXPECT_EQ(CodeOf(h.Call(Operation::kRead, "nope")), Code::kNotFound);
  EXPECT_EQ(CodeOf(h.Call(Operation::kRead, "users/a/b")), Code::kNotFound);
  EXPECT_EQ(CodeOf(h.Call(Operation::kRead, "login/alice")), Code::kUnsupported);
  EXPECT_EQ(CodeOf(h.Call(Operation::kRead, "users/alice/password")), Code::kUnsupported);
}

// --- login ------------------------------------------------------------------

TEST(UserpassLoginTest, LoginAnswersGrantWithUsernameAndTokenSettings) {
  EngineHarness h("userpass");
  h.MustCall(Operation::kCreate, "users/alice",
             {{"password", "pw"},
              {"token_policies", "dev,ops"},
              {"token_ttl", "1h"},
              {"token_max_ttl", "2h"},
              {"token_no_default_policy", true},
              {"token_num_uses", 3}});
  Result<core::Response> r = Login(h, "alice", "pw");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(r->data.is_null());
  ASSERT_TRUE(r->login.has_value());
  const core::LoginGrant& grant = *r->login;
  EXPECT_EQ(grant.display_name, "alice");
  EXPECT_EQ(grant.metadata, (std::map<std::string, std::string>{{"username", "alice"}}));
  EXPECT_EQ(grant.token.policies, (std::vector<std::string>{"dev", "ops"}));
  EXPECT_EQ(grant.token.ttl, 3600);
  EXPECT_EQ(grant.token.max_ttl, 7200);
  EXPECT_TRUE(grant.token.no_default_policy);
  EXPECT_EQ(grant.token.num_uses, 3);
  EXPECT_TRUE(grant.renewable);
}

TEST(UserpassLoginTest, LoginNameIsCaseInsensitive) {
  EngineHarness h("userpass");
  h.MustCall(Operation::kCreate, "users/alice", {{"password", "pw"}});
  Result<core::Response> r = Login(h, "ALICE", "pw");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->login->metadata.at("username"), "alice");
  EXPECT_EQ(r->login->display_name, "alice");
}

TEST(UserpassLoginTest, UnknownUserAndWrongPasswordGiveTheSameError) {
  EngineHarness h("userpass");
  h.MustCall(Operation::kCreate, "users/alice", {{"password", "pw"}});
  Result<core::Response> wrong = Login(h, "alice", "not-pw");
  Result<core::Response> unknown = Login(h, "mallory", "pw");
  EXPECT_EQ(CodeOf(wrong), Code::kInvalidArgument);
  EXPECT_EQ(CodeOf(unknown), Code::kInvalidArgument);
  EXPECT_EQ(wrong.status().message(), "invalid username or password");
  EXPECT_EQ(unknown.status().message(), wrong.status().message());
}

// An unknown user costs a scrypt derivation too. The fastest of a few runs
// is compared, which a loaded machine only slows, so the bound is loose but
// a skipped hash (microseconds against ~100 ms) cannot pass.
TEST(UserpassLoginTest, UnknownUserTakesAsLongAsWrongPassword) {
  EngineHarness h("userpass");
  h.MustCall(Operation::kCreate, "users/alice", {{"password", "pw"}});
  auto fastest = [&](const std::string& user) {
    auto best = std::chrono::steady_clock::duration::max();
    for (int i = 0; i < 3; ++i) {
      auto start = std::chrono::steady_clock::now();
      EXPECT_EQ(CodeOf(Login(h, user, "wrong")), Code::kInvalidArgument);
      best = std::min(best, std::chrono::steady_clock::now() - start);
    }
    return std::chrono::duration<double>(best).count();
  };
  const double wrong_password = fastest("alice");
  const double unknown_user = fastest("mallory");
  EXPECT_GT(unknown_user, wrong_password * 0.5);
  EXPECT_LT(unknown_user, wrong_password * 2.0);
}

TEST(UserpassLoginTest, MissingPasswordIsRefused) {
  EngineHarness h("userpass");
  h.MustCall(Operation::kCreate, "users/alice", {{"password", "pw"}});
  Result<core::Response> r = h.Call(Operation::kUpdate, "login/alice", json::object());
  EXPECT_EQ(CodeOf(r), Code::kInvalidArgument);
  EXPECT_EQ(r.status().message(), "missing password");
}

TEST(UserpassLoginTest, PasswordUpdateRetiresTheOldPassword) {
  EngineHarness h("userpass");
  h.MustCall(Operation::kCreate, "users/alice", {{"password", "old"}, {"token_policies", "dev"}});
  h.MustCall(Operation::kUpdate, "users/alice/password", {{"password", "new"}});
  EXPECT_EQ(CodeOf(Login(h, "alice", "old")), Code::kInvalidArgument);
  Result<core::Response> r = Login(h, "alice", "new");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  // Only the password changed.
  EXPECT_EQ(r->login->token.policies, (std::vector<std::string>{"dev"}));
}

TEST(UserpassLoginTest, PasswordChangeThroughUserUpdate) {
  EngineHarness h("userpass");
  h.MustCall(Operation::kCreate, "users/alice", {{"password", "old"}});
  h.MustCall(Operation::kUpdate, "users/alice", {{"password", "new"}});
  EXPECT_EQ(CodeOf(Login(h, "alice", "old")), Code::kInvalidArgument);
  EXPECT_TRUE(Login(h, "alice", "new").ok());
}

TEST(UserpassLoginTest, PoliciesUpdateShowsInNextLogin) {
  EngineHarness h("userpass");
  h.MustCall(Operation::kCreate, "users/alice", {{"password", "pw"}, {"token_policies", "dev"}});
  h.MustCall(Operation::kUpdate, "users/alice/policies", {{"token_policies", "ops"}});
  Result<core::Response> r = Login(h, "alice", "pw");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->login->token.policies, (std::vector<std::string>{"ops"}));
}

TEST(UserpassLoginTest, DeletedUserCannotLogIn) {
  EngineHarness h("userpass");
  h.MustCall(Operation::kCreate, "users/alice", {{"password", "pw"}});
  h.MustCall(Operation::kDelete, "users/alice");
  Result<core::Response> r = Login(h, "alice", "pw");
  EXPECT_EQ(CodeOf(r), Code::kInvalidArgument);
  EXPECT_EQ(r.status().message(), "invalid username or password");
}

TEST(UserpassLoginTest, BoundCidrsRefuseOtherAddresses) {
  EngineHarness h("userpass");
  h.MustCall(Operation::kCreate, "users/alice",
             {{"password", "pw"}, {"token_bound_cidrs", "10.0.0.0/8,fd00::/8"}});
  h.set_remote_address("127.0.0.1");
  Result<core::Response> r = Login(h, "alice", "pw");
  EXPECT_EQ(CodeOf(r), Code::kPermissionDenied);
  EXPECT_EQ(r.status().message(), "login from a disallowed address");
  // The password is checked first, so a wrong one says nothing about CIDRs.
  EXPECT_EQ(Login(h, "alice", "bad").status().message(), "invalid username or password");

  h.set_remote_address("::1");
  EXPECT_EQ(CodeOf(Login(h, "alice", "pw")), Code::kPermissionDenied);
  h.set_remote_address("");
  EXPECT_EQ(CodeOf(Login(h, "alice", "pw")), Code::kPermissionDenied);

  h.set_remote_address("10.20.30.40");
  r = Login(h, "alice", "pw");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->login->token.bound_cidrs, (std::vector<std::string>{"10.0.0.0/8", "fd00::/8"}));
  h.set_remote_address("fd12::1");
  EXPECT_TRUE(Login(h, "alice", "pw").ok());
}

TEST(UserpassLoginTest, DamagedStoredHashIsAServerError) {
  EngineHarness h("userpass");
  ASSERT_TRUE(h.storage().Put("user/alice", R"({"password_hash":"garbage","token":{}})").ok());
  Result<core::Response> r = Login(h, "alice", "pw");
  EXPECT_EQ(CodeOf(r), Code::kCorruption);
  ASSERT_TRUE(h.storage().Put("user/bob", R"({"token":{}})").ok());
  EXPECT_EQ(CodeOf(Login(h, "bob", "pw")), Code::kCorruption);
}

TEST(UserpassLoginTest, OnlyLoginIsALoginPathAndItsAliasIsLowerCased) {
  EngineHarness h("userpass");
  EXPECT_TRUE(h.engine().IsLoginPath("login/alice"));
  EXPECT_FALSE(h.engine().IsLoginPath("users/alice"));
  EXPECT_FALSE(h.engine().IsLoginPath("users"));
  core::EngineRequest request;
  request.operation = Operation::kUpdate;
  request.path = "login/Alice";
  request.data = {{"password", "pw"}};
  EXPECT_EQ(h.engine().LoginAlias(request), "alice");
  request.path = "users/alice";
  EXPECT_EQ(h.engine().LoginAlias(request), "");
}

}  // namespace
}  // namespace coffer::engines::testing
