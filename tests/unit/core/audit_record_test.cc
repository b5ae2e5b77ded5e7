#include "core/audit_record.h"

#include <gtest/gtest.h>

namespace coffer::core {
namespace {

using nlohmann::json;

Request KvWrite() {
  Request r;
  r.id = "req-1";
  r.operation = Operation::kUpdate;
  r.path = "secret/data/app";
  r.data = {{"data", {{"password", "pw"}}}};
  r.client_token = "hvs.token";
  r.remote_address = "10.0.0.7";
  return r;
}

TokenEntry Token() {
  TokenEntry t;
  t.accessor = "acc";
  t.policies = {"default", "app"};
  t.meta = {{"role_name", "app"}};
  t.display_name = "approle";
  t.issue_time = 1000;
  t.ttl = 3600;
  return t;
}

TEST(AuditRecordTest, RequestEntryHasVaultsShape) {
  const Request request = KvWrite();
  AuditRecord record(request, 1'521'685'446'945'319'214);
  record.SetToken(Token(), 1600);
  record.SetMount("kv", "kv_1234");
  record.SetOperation(Operation::kCreate);
  record.SetWrapTtl(60);
  const json e = record.RequestPair().RequestEntry();
  EXPECT_EQ(e["type"], "request");
  EXPECT_EQ(e["time"], "2018-03-22T02:24:06.945319214Z");
  EXPECT_FALSE(e.contains("error"));
  EXPECT_EQ(e["auth"]["client_token"], "hvs.token");
  EXPECT_EQ(e["auth"]["accessor"], "acc");
  EXPECT_EQ(e["auth"]["display_name"], "approle");
  EXPECT_EQ(e["auth"]["policies"], json({"default", "app"}));
  EXPECT_EQ(e["auth"]["token_policies"], json({"default", "app"}));
  EXPECT_EQ(e["auth"]["metadata"]["role_name"], "app");
  EXPECT_EQ(e["auth"]["token_ttl"], 3000);
  EXPECT_EQ(e["request"]["id"], "req-1");
  EXPECT_EQ(e["request"]["operation"], "create");
  EXPECT_EQ(e["request"]["mount_type"], "kv");
  EXPECT_EQ(e["request"]["mount_accessor"], "kv_1234");
  EXPECT_EQ(e["request"]["client_token"], "hvs.token");
  EXPECT_EQ(e["request"]["client_token_accessor"], "acc");
  EXPECT_EQ(e["request"]["path"], "secret/data/app");
  EXPECT_EQ(e["request"]["data"]["data"]["password"], "pw");
  EXPECT_EQ(e["request"]["remote_address"], "10.0.0.7");
  EXPECT_EQ(e["request"]["wrap_ttl"], 60);
}

TEST(AuditRecordTest, RefusedRequestCarriesTheErrorAndWhatWasSent) {
  const Request request = KvWrite();
  AuditRecord record(request, 0);
  const json e = record.Pair(Status::PermissionDenied(), 5).RequestEntry();
  EXPECT_EQ(e["error"], "permission denied");
  EXPECT_EQ(e["auth"]["client_token"], "hvs.token");
  EXPECT_FALSE(e["auth"].contains("policies"));
  EXPECT_EQ(e["request"]["operation"], "update");
  const json r = record.Pair(Status::PermissionDenied(), 5).ResponseEntry();
  EXPECT_EQ(r["type"], "response");
  EXPECT_EQ(r["error"], "permission denied");
  EXPECT_FALSE(r.contains("response"));
}

TEST(AuditRecordTest, ResponseEntryCarriesDataSecretAuthAndWrapInfo) {
  const Request request = KvWrite();
  AuditRecord record(request, 0);
  record.SetToken(Token(), 1000);
  record.SetMount("kv", "kv_1234");
  Response response = Response::Data({{"password", "pw"}});
  response.lease_id = "database/creds/app/abc";
  response.auth = json{{"client_token", "hvs.new"}};
  response.wrap_info = json{{"token", "hvs.wrap"}};
  response.warnings = {"careful"};
  const json e = record.Pair(response, 0).ResponseEntry();
  EXPECT_EQ(e["response"]["mount_type"], "kv");
  EXPECT_EQ(e["response"]["data"]["password"], "pw");
  EXPECT_EQ(e["response"]["secret"]["lease_id"], "database/creds/app/abc");
  EXPECT_EQ(e["response"]["auth"]["client_token"], "hvs.new");
  EXPECT_EQ(e["response"]["wrap_info"]["token"], "hvs.wrap");
  EXPECT_EQ(e["response"]["warnings"][0], "careful");
  EXPECT_FALSE(e.contains("error"));
}

}  // namespace
}  // namespace coffer::core
