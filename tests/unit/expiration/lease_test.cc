#include "core/expiration/lease.h"

#include <gtest/gtest.h>

#include "base/encoding.h"
#include "crypto/hash.h"

namespace coffer::core::expiration {
namespace {

TEST(LeaseKeysTest, IndexHashIsFirst32HexOfSha256) {
  EXPECT_EQ(IndexHash("db/creds/ro/x"), HexEncode(crypto::Sha256("db/creds/ro/x")).substr(0, 32));
  EXPECT_EQ(IndexHash("a").size(), 32u);
}

TEST(LeaseKeysTest, TimeIndexKeyIsZeroPaddedMinuteBucketThenMs) {
  // 1'800'000'060'000 ms is minute 30'000'001.
  EXPECT_EQ(TimeIndexKey(1'800'000'060'000, "lease", "x"),
            "sys/expire/time/000030000001/001800000060000_lease_" + IndexHash("x"));
  EXPECT_EQ(TimeIndexKey(5, "token", "k"), "sys/expire/time/000000000000/000000000000005_token_" +
                                               IndexHash("k"));
}

TEST(LeaseKeysTest, PaddedKeysSortByTime) {
  EXPECT_LT(TimeIndexKey(999'999, "lease", "z"), TimeIndexKey(1'000'000, "lease", "a"));
  EXPECT_LT(TimeIndexKey(59'999, "lease", "z"), TimeIndexKey(60'000, "lease", "a"));
}

TEST(LeaseKeysTest, TokenIndexKeyIsClientFolderThenLeaseHash) {
  EXPECT_EQ(TokenIndexKey("abc", "db/creds/ro/1"), "sys/expire/token/abc/" + IndexHash("db/creds/ro/1"));
}

TEST(LeaseRecordTest, StoredFormRoundTrips) {
  Lease l;
  l.id = "db/creds/ro/1";
  l.mount_point = "db/";
  l.token_client_id = "abc";
  l.secret_type = "creds";
  l.internal = {{"username", "u"}};
  l.renewable = false;
  l.issue_time = 10;
  l.last_renewal_time = 20;
  l.expire_time = 30;
  l.max_expire_time = 40;
  l.ttl = 10;
  l.index_ms = 31'000;
  l.revoke_attempts = 2;
  l.last_revoke_error = "boom";
  auto back = Lease::FromStored(l.ToStored().dump());
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->ToStored(), l.ToStored());
  EXPECT_EQ(back->IndexKey(), TimeIndexKey(31'000, "lease", l.id));
}

TEST(LeaseRecordTest, GarbageIsCorruptionNotACrash) {
  EXPECT_TRUE(Lease::FromStored("not json").status().IsCorruption());
  EXPECT_TRUE(Lease::FromStored("[]").status().IsCorruption());
  EXPECT_TRUE(Lease::FromStored(R"({"id": 5})").status().IsCorruption());
  EXPECT_TRUE(Lease::FromStored(R"({"id": "x", "expire_time": "soon"})").status().IsCorruption());
}

TEST(LeaseRecordTest, OlderRecordWithoutIndexFieldsGetsThemDerived) {
  auto l = Lease::FromStored(R"({"id": "x", "issue_time": 100, "expire_time": 160})");
  ASSERT_TRUE(l.ok());
  EXPECT_EQ(l->index_ms, 160'000);
  EXPECT_EQ(l->ttl, 60);
}

}  // namespace
}  // namespace coffer::core::expiration
