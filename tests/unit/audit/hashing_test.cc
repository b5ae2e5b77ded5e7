#include "audit/hashing.h"

#include <gtest/gtest.h>

#include "base/encoding.h"
#include "crypto/hash.h"

namespace coffer::audit {
namespace {

using nlohmann::json;

TEST(AuditHashing, HashIsPrefixedHexHmacOfTheSalt) {
  Salt salt(crypto::SecureBuffer::FromBytes("salt-bytes"));
  EXPECT_EQ(salt.Hash("hello"),
            "hmac-sha256:" + HexEncode(crypto::HmacSha256("salt-bytes", "hello")));
  EXPECT_NE(salt.Hash("hello"), Salt(crypto::SecureBuffer::FromBytes("other-salt")).Hash("hello"));
}

json SampleEntry() {
  return json::parse(R"({
    "type": "response",
    "auth": {"client_token": "hvs.tok", "accessor": "acc1", "display_name": "root",
             "policies": ["root"], "token_ttl": 0},
    "request": {"client_token": "hvs.tok", "client_token_accessor": "acc1",
                "path": "secret/data/x", "operation": "update",
                "data": {"data": {"password": "pw", "n": 5, "list": ["a", {"deep": "b"}],
                                  "empty": ""}}},
    "response": {"data": {"password": "pw", "ok": true},
                 "auth": {"client_token": "hvs.new", "accessor": "acc2"},
                 "wrap_info": {"token": "hvs.wrap", "accessor": "acc3",
                               "wrapped_accessor": "acc4", "ttl": 60}}
  })");
}

TEST(AuditHashing, HashesTokensAndEveryStringInDataRecursively) {
  Salt salt(crypto::SecureBuffer::FromBytes("k"));
  json e = SampleEntry();
  HashEntry(e, salt, /*hmac_accessor=*/true);
  EXPECT_EQ(e["auth"]["client_token"], salt.Hash("hvs.tok"));
  EXPECT_EQ(e["auth"]["accessor"], salt.Hash("acc1"));
  EXPECT_EQ(e["request"]["client_token"], salt.Hash("hvs.tok"));
  EXPECT_EQ(e["request"]["client_token_accessor"], salt.Hash("acc1"));
  EXPECT_EQ(e["request"]["data"]["data"]["password"], salt.Hash("pw"));
  EXPECT_EQ(e["request"]["data"]["data"]["n"], 5);
  EXPECT_EQ(e["request"]["data"]["data"]["list"][0], salt.Hash("a"));
  EXPECT_EQ(e["request"]["data"]["data"]["list"][1]["deep"], salt.Hash("b"));
  EXPECT_EQ(e["request"]["data"]["data"]["empty"], "");
  EXPECT_EQ(e["response"]["data"]["password"], salt.Hash("pw"));
  EXPECT_EQ(e["response"]["data"]["ok"], true);
  EXPECT_EQ(e["response"]["auth"]["client_token"], salt.Hash("hvs.new"));
  EXPECT_EQ(e["response"]["auth"]["accessor"], salt.Hash("acc2"));
  EXPECT_EQ(e["response"]["wrap_info"]["token"], salt.Hash("hvs.wrap"));
  EXPECT_EQ(e["response"]["wrap_info"]["accessor"], salt.Hash("acc3"));
  EXPECT_EQ(e["response"]["wrap_info"]["wrapped_accessor"], salt.Hash("acc4"));
  // Not sensitive: left readable.
  EXPECT_EQ(e["request"]["path"], "secret/data/x");
  EXPECT_EQ(e["auth"]["display_name"], "root");
  EXPECT_EQ(e["auth"]["policies"][0], "root");
}

TEST(AuditHashing, AccessorsStayReadableWithoutHmacAccessor) {
  Salt salt(crypto::SecureBuffer::FromBytes("k"));
  json e = SampleEntry();
  HashEntry(e, salt, /*hmac_accessor=*/false);
  EXPECT_EQ(e["auth"]["accessor"], "acc1");
  EXPECT_EQ(e["request"]["client_token_accessor"], "acc1");
  EXPECT_EQ(e["response"]["auth"]["accessor"], "acc2");
  EXPECT_EQ(e["response"]["wrap_info"]["accessor"], "acc3");
  EXPECT_EQ(e["auth"]["client_token"], salt.Hash("hvs.tok"));
}

TEST(AuditHashing, ToleratesMissingAndOddlyTypedMembers) {
  Salt salt(crypto::SecureBuffer::FromBytes("k"));
  json e = {{"type", "request"},
            {"auth", nullptr},
            {"request", {{"data", "plain"}}},
            {"response", json::array()}};
  HashEntry(e, salt, true);
  EXPECT_EQ(e["request"]["data"], salt.Hash("plain"));
  EXPECT_TRUE(e["auth"].is_null());
}

}  // namespace
}  // namespace coffer::audit
