// Register, lookup, list, renew and the revoke family.
#include <algorithm>
#include <regex>

#include "expiration_fixture.h"

namespace coffer::core::expiration {
namespace {

using std::chrono::seconds;

TEST_F(ExpirationTest, RegisterThenLookupAndListShowsFolders) {
  Lease ro = Register("database/creds/ro", 60, 600, "client1");
  Lease rw = Register("database/creds/rw/", 60, 600);
  Register("kv/data/x", 60, 600);

  EXPECT_TRUE(std::regex_match(ro.id, std::regex("database/creds/ro/[0-9a-f-]{36}")));
  EXPECT_TRUE(rw.id.starts_with("database/creds/rw/")) << rw.id;

  auto got = manager_->Lookup(ro.id);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->mount_point, "database/");
  EXPECT_EQ(got->token_client_id, "client1");
  EXPECT_EQ(got->secret_type, "creds");
  EXPECT_EQ(got->internal["username"], "v-user");
  EXPECT_EQ(got->issue_time, kStart);
  EXPECT_EQ(got->expire_time, kStart + 60);
  EXPECT_EQ(got->max_expire_time, kStart + 600);
  EXPECT_EQ(got->ttl, 60);

  auto top = manager_->List("");
  ASSERT_TRUE(top.ok());
  EXPECT_EQ(*top, (std::vector<std::string>{"database/", "kv/"}));
  auto creds = manager_->List("database/creds/");
  ASSERT_TRUE(creds.ok());
  EXPECT_EQ(*creds, (std::vector<std::string>{"ro/", "rw/"}));
  auto no_slash = manager_->List("database/creds");
  ASSERT_TRUE(no_slash.ok());
  EXPECT_EQ(*no_slash, *creds);
  auto leaf = manager_->List("database/creds/ro/");
  ASSERT_TRUE(leaf.ok());
  EXPECT_EQ(*leaf, (std::vector<std::string>{ro.id.substr(std::string("database/creds/ro/").size())}));
  EXPECT_TRUE(manager_->List("nothing/").status().IsNotFound());
}

TEST_F(ExpirationTest, RegisterWritesLeaseTimeIndexAndTokenIndexEncrypted) {
  Lease l = Register("database/creds/ro", 60, 600, "client1");
  EXPECT_TRUE(LeaseExists(l.id));
  auto time_entry = barrier_->Get(TimeIndexKey((kStart + 60) * 1000, "lease", l.id));
  ASSERT_TRUE(time_entry.ok());
  EXPECT_EQ(*time_entry, l.id);
  auto token_entry = barrier_->Get(TokenIndexKey("client1", l.id));
  ASSERT_TRUE(token_entry.ok());
  EXPECT_EQ(*token_entry, l.id);
  // The physical store sees ciphertext only.
  auto raw = physical_->Get(std::string(kLeasePrefix) + l.id);
  ASSERT_TRUE(raw.ok());
  EXPECT_EQ(raw->find("v-user"), std::string::npos);
}

TEST_F(ExpirationTest, LookupOfUnknownLeaseIsInvalidLease) {
  auto got = manager_->Lookup("database/creds/ro/nope");
  EXPECT_TRUE(got.status().IsInvalidArgument());
  EXPECT_EQ(got.status().message(), "invalid lease");
}

TEST_F(ExpirationTest, RenewWithIncrementExtendsFromNow) {
  Lease l = Register("database/creds/ro", 60, 3600);
  clock_.Advance(seconds(30));
  auto renewed = manager_->Renew(l.id, 120);
  ASSERT_TRUE(renewed.ok()) << renewed.status().ToString();
  EXPECT_EQ(renewed->expire_time, kStart + 30 + 120);
  EXPECT_EQ(renewed->last_renewal_time, kStart + 30);
  ASSERT_EQ(engines_.renewals.size(), 1u);
  EXPECT_EQ(engines_.renewals[0].second, 120);
  // The time index moved with it.
  EXPECT_FALSE(Exists(TimeIndexKey((kStart + 60) * 1000, "lease", l.id)));
  EXPECT_TRUE(Exists(TimeIndexKey((kStart + 150) * 1000, "lease", l.id)));
  EXPECT_EQ(manager_->Lookup(l.id)->expire_time, kStart + 150);
}

TEST_F(ExpirationTest, RenewWithZeroIncrementReusesOriginalTtl) {
  Lease l = Register("database/creds/ro", 60, 3600);
  clock_.Advance(seconds(10));
  ASSERT_TRUE(manager_->Renew(l.id, 300).ok());
  clock_.Advance(seconds(10));
  auto renewed = manager_->Renew(l.id, 0);
  ASSERT_TRUE(renewed.ok());
  EXPECT_EQ(renewed->expire_time, kStart + 20 + 60);  // the original 60 s, not 300
}

TEST_F(ExpirationTest, RenewIsCappedByMaxTtl) {
  Lease l = Register("database/creds/ro", 60, 100);
  clock_.Advance(seconds(50));
  auto renewed = manager_->Renew(l.id, 1000);
  ASSERT_TRUE(renewed.ok());
  EXPECT_EQ(renewed->expire_time, kStart + 100);
  EXPECT_EQ(engines_.renewals.back().second, 50);
}

TEST_F(ExpirationTest, RenewIsCappedByMountMaxLeaseTtl) {
  Lease l = Register("database/creds/ro", 60, 3600);
  engines_.mount_max_ttl = 90;  // lowered after issue
  clock_.Advance(seconds(40));
  auto renewed = manager_->Renew(l.id, 1000);
  ASSERT_TRUE(renewed.ok());
  EXPECT_EQ(renewed->expire_time, kStart + 90);
}

TEST_F(ExpirationTest, RenewPastMaxTtlIsRefused) {
  Lease l = Register("database/creds/ro", 60, 3600);
  engines_.mount_max_ttl = 30;
  clock_.Advance(seconds(40));
  auto renewed = manager_->Renew(l.id, 10);
  EXPECT_TRUE(renewed.status().IsInvalidArgument());
  EXPECT_EQ(renewed.status().message(), "lease is past its maximum TTL");
  EXPECT_TRUE(engines_.renewals.empty());
}

TEST_F(ExpirationTest, RenewRefusesNotRenewableLease) {
  Lease l = Register("database/creds/ro", 60, 3600, "", /*renewable=*/false);
  auto renewed = manager_->Renew(l.id, 10);
  EXPECT_EQ(renewed.status().message(), "lease is not renewable");
  EXPECT_TRUE(renewed.status().IsInvalidArgument());
}

TEST_F(ExpirationTest, RenewRefusesExpiredLease) {
  Lease l = Register("database/creds/ro", 60, 3600);
  clock_.Advance(seconds(60));
  auto renewed = manager_->Renew(l.id, 10);
  EXPECT_EQ(renewed.status().message(), "lease expired");
  EXPECT_TRUE(renewed.status().IsInvalidArgument());
}

TEST_F(ExpirationTest, RenewOfUnknownLeaseIsInvalidLease) {
  auto renewed = manager_->Renew("database/creds/ro/none", 10);
  EXPECT_EQ(renewed.status().message(), "invalid lease");
}

TEST_F(ExpirationTest, RenewRefusedByEngineChangesNothing) {
  Lease l = Register("database/creds/ro", 60, 3600);
  engines_.fail_renew = true;
  clock_.Advance(seconds(10));
  auto renewed = manager_->Renew(l.id, 300);
  EXPECT_EQ(renewed.status().message(), "renew refused");
  auto got = manager_->Lookup(l.id);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->expire_time, kStart + 60);
  EXPECT_EQ(got->last_renewal_time, 0);
  EXPECT_TRUE(Exists(TimeIndexKey((kStart + 60) * 1000, "lease", l.id)));
}

TEST_F(ExpirationTest, RevokeCallsEngineAndRemovesAllThreeKeys) {
  Lease l = Register("database/creds/ro", 60, 3600, "client1");
  ASSERT_TRUE(manager_->Revoke(l.id).ok());
  EXPECT_EQ(engines_.Revoked(), std::vector<std::string>{l.id});
  EXPECT_FALSE(LeaseExists(l.id));
  EXPECT_FALSE(Exists(l.IndexKey()));
  EXPECT_FALSE(Exists(TokenIndexKey("client1", l.id)));
  EXPECT_EQ(manager_->Lookup(l.id).status().message(), "invalid lease");
  EXPECT_TRUE(manager_->Revoke(l.id).ok());  // already gone: nothing to do
  EXPECT_EQ(engines_.RevokeCalls().size(), 1u);
}

TEST_F(ExpirationTest, RevokeFailureKeepsLeaseAndALaterSweepRetries) {
  Lease l = Register("database/creds/ro", 60, 3600, "client1");
  engines_.SetFailAll(true);
  Status st = manager_->Revoke(l.id);
  EXPECT_EQ(st.code(), Code::kUnavailable);
  EXPECT_EQ(st.message(), "failed to revoke lease " + l.id + ": engine down");

  auto kept = manager_->Lookup(l.id);
  ASSERT_TRUE(kept.ok());
  EXPECT_EQ(kept->revoke_attempts, 1);
  EXPECT_EQ(kept->last_revoke_error, "engine down");
  EXPECT_EQ(kept->expire_time, kStart + 60);  // unchanged: only the retry time moved
  EXPECT_EQ(kept->index_ms, (kStart + 1) * 1000);
  EXPECT_FALSE(Exists(l.IndexKey()));
  EXPECT_TRUE(Exists(kept->IndexKey()));
  EXPECT_TRUE(Exists(TokenIndexKey("client1", l.id)));

  // Not before the 1 s backoff.
  EXPECT_EQ(Sweep(), 0);
  EXPECT_EQ(engines_.RevokeCalls().size(), 1u);
  // Due, engine still down: retried, next wait doubles to 2 s.
  clock_.Advance(seconds(1));
  EXPECT_EQ(Sweep(), 0);
  EXPECT_EQ(engines_.RevokeCalls().size(), 2u);
  kept = manager_->Lookup(l.id);
  ASSERT_TRUE(kept.ok());
  EXPECT_EQ(kept->revoke_attempts, 2);
  EXPECT_EQ(kept->index_ms, (kStart + 3) * 1000);
  // Engine back: the next due sweep ends it.
  engines_.SetFailAll(false);
  clock_.Advance(seconds(2));
  EXPECT_EQ(Sweep(), 1);
  EXPECT_FALSE(LeaseExists(l.id));
  EXPECT_FALSE(Exists(kept->IndexKey()));
  EXPECT_FALSE(Exists(TokenIndexKey("client1", l.id)));
}

TEST_F(ExpirationTest, RevokePrefixWithoutForceTriesAllAndKeepsFailures) {
  Lease a = Register("database/creds/ro", 60, 3600, "", true, "database/");
  Lease b = Register("database/creds/ro/deeper", 60, 3600, "", true, "database/");
  Lease c = Register("database/creds/rw", 60, 3600, "", true, "broken/");
  Lease other = Register("database/credsX", 60, 3600);
  engines_.fail_mounts = {"broken/"};
  Status st = manager_->RevokePrefix("database/creds", /*force=*/false);
  EXPECT_EQ(st.code(), Code::kUnavailable);
  EXPECT_NE(st.message().find(c.id), std::string::npos);
  EXPECT_FALSE(LeaseExists(a.id));
  EXPECT_FALSE(LeaseExists(b.id));
  EXPECT_TRUE(LeaseExists(c.id));
  EXPECT_EQ(manager_->Lookup(c.id)->revoke_attempts, 1);
  EXPECT_TRUE(LeaseExists(other.id));  // the path boundary is respected
}

TEST_F(ExpirationTest, RevokePrefixWithForceRemovesLeasesWhoseEngineFails) {
  Lease a = Register("database/creds/ro", 60, 3600, "client1", true, "broken/");
  Lease b = Register("database/creds/rw", 60, 3600);
  engines_.fail_mounts = {"broken/"};
  ASSERT_TRUE(manager_->RevokePrefix("database/", /*force=*/true).ok());
  EXPECT_FALSE(LeaseExists(a.id));
  EXPECT_FALSE(LeaseExists(b.id));
  EXPECT_FALSE(Exists(a.IndexKey()));
  EXPECT_FALSE(Exists(TokenIndexKey("client1", a.id)));
  EXPECT_EQ(engines_.RevokeCalls().size(), 2u);
  EXPECT_TRUE(manager_->List("").status().IsNotFound());
}

TEST_F(ExpirationTest, RevokePrefixMatchesTheExactLeaseId) {
  Lease a = Register("database/creds/ro", 60, 3600);
  ASSERT_TRUE(manager_->RevokePrefix(a.id, false).ok());
  EXPECT_FALSE(LeaseExists(a.id));
}

TEST_F(ExpirationTest, RevokeByTokenRevokesOnlyThatTokensLeases) {
  Lease mine1 = Register("database/creds/ro", 60, 3600, "client1");
  Lease mine2 = Register("kv/x", 60, 3600, "client1", true, "broken/");
  Lease theirs = Register("database/creds/ro", 60, 3600, "client2");
  engines_.fail_mounts = {"broken/"};
  // The engine failure is not returned: it is retried by the sweep.
  ASSERT_TRUE(manager_->RevokeByToken("client1").ok());
  EXPECT_FALSE(LeaseExists(mine1.id));
  EXPECT_TRUE(LeaseExists(mine2.id));
  EXPECT_EQ(manager_->Lookup(mine2.id)->revoke_attempts, 1);
  EXPECT_TRUE(LeaseExists(theirs.id));
  EXPECT_TRUE(manager_->RevokeByToken("").ok());
  EXPECT_TRUE(manager_->RevokeByToken("nobody").ok());

  engines_.fail_mounts.clear();
  clock_.Advance(seconds(1));
  EXPECT_EQ(Sweep(), 1);
  EXPECT_FALSE(LeaseExists(mine2.id));
  EXPECT_FALSE(Exists(TokenIndexKey("client1", mine2.id)));
}

}  // namespace
}  // namespace coffer::core::expiration
